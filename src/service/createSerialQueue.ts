/**
 * Runs tasks one after another per key, in the order they were queued; tasks of different keys run
 * concurrently. A task that fails does not stop the ones after it.
 *
 * @internal
 */
export function createSerialQueue(): {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  idle(): Promise<void>;
} {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
