import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCommandWatchdog } from '../../src/redis/createCommandWatchdog';

afterEach(() => {
  vi.useRealTimers();
});

/** A reply settled from outside. */
const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('the adapters’ command watchdog', () => {
  it('passes a reply or an error through untouched when it comes in time', async () => {
    const watchdog = createCommandWatchdog(1_000);
    await expect(watchdog.watch(Promise.resolve('OK'), 'SET')).resolves.toBe('OK');
    const failure = new Error('WRONGTYPE');
    await expect(watchdog.watch(Promise.reject(failure), 'HGET')).rejects.toBe(failure);
  });

  it('fails a command with no reply once its time is up, naming it, and ignores the late reply', async () => {
    vi.useFakeTimers();
    const watchdog = createCommandWatchdog(500);
    const reply = deferred<string>();
    const watched = watchdog.watch(reply.promise, 'EVALSHA');
    const outcome = watched.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await vi.advanceTimersByTimeAsync(499);
    expect(vi.getTimerCount()).toBe(1); // still waiting: nothing settled yet
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBe('no reply to EVALSHA within 500 ms (commandTimeoutMs)');
    reply.resolve('late'); // no second settlement, no unhandled rejection
    await vi.advanceTimersByTimeAsync(10);
  });

  it('keeps one timer for all the commands in flight, each failed at its own time, those answered left alone', async () => {
    vi.useFakeTimers();
    const watchdog = createCommandWatchdog(100);
    const replies = Array.from({ length: 5 }, () => deferred<number>());
    const outcomes: string[] = [];
    const watched = replies.map((reply, i) => {
      const promise = watchdog.watch(reply.promise, `C${i}`).then(
        () => `C${i} ok`,
        () => `C${i} timed out`,
      );
      return promise.then((outcome) => outcomes.push(outcome));
    });
    // Sent 10 ms apart; the second and fourth answered in time.
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    replies[1]!.resolve(1);
    replies[3]!.resolve(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
    await Promise.all(watched);
    expect(outcomes.sort()).toEqual(['C0 timed out', 'C1 ok', 'C2 timed out', 'C3 ok', 'C4 timed out']);
  });

  it('drops a command as soon as it is answered: a long run of answered commands leaves nothing waiting', async () => {
    vi.useFakeTimers();
    const watchdog = createCommandWatchdog(5_000);
    for (let i = 0; i < 10_000; i++) await watchdog.watch(Promise.resolve(i), 'GET');
    expect(watchdog.held).toBe(0); // not kept for the 5 s of their timeout, as node-redis's signals are
    // One command waiting holds those answered after it until it is answered (or fails), then they all go.
    const slow = deferred<number>();
    const waiting = watchdog.watch(slow.promise, 'GET');
    for (let i = 0; i < 100; i++) await watchdog.watch(Promise.resolve(i), 'GET');
    expect(watchdog.held).toBe(101);
    slow.resolve(0);
    await waiting;
    expect(watchdog.held).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
