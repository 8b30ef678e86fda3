/**
 * Waits a loop can be woken from: each `pause` ends after its time or at once at `wakeAll` (its timer cleared, so a
 * stopped loop keeps no process alive). Shared by the change-stream and config followers.
 *
 * @returns `pause(ms)`, and `wakeAll()` that ends every pause under way
 * @internal
 */
export function createNaps(): { readonly pause: (ms: number) => Promise<void>; readonly wakeAll: () => void } {
  const naps = new Set<() => void>();
  return {
    pause: (ms) =>
      new Promise<void>((resolve) => {
        const end = () => {
          clearTimeout(timer);
          naps.delete(end);
          resolve();
        };
        const timer = setTimeout(end, ms);
        naps.add(end);
      }),
    wakeAll: () => {
      for (const end of naps) end();
    },
  };
}

/**
 * Waits `ms`, or less when `early` settles first; the timer is cleared then (a stopped loop keeps no process alive).
 *
 * @internal
 */
export const nap = (ms: number, early: Promise<unknown>): Promise<void> =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void early.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
