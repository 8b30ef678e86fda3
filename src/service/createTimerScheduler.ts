import type { Clock, Scheduler } from './ports';

/** The longest delay `setTimeout` takes; a later deadline is reached in steps. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * A {@link Scheduler} on `setTimeout`, the service's default: one timer per agent, a new `set` replacing the
 * agent's earlier timer. Timers are unref'd where the runtime allows, so they never keep a process alive.
 * Deadlines are absolute times on `clock` (default `Date.now()`); one already past fires on the next turn.
 *
 * @param options - `clock`: what the deadlines are measured against (default: the system clock)
 * @returns the scheduler, with `size` (agents with a timer armed)
 * @category Adapters
 * @example
 * ```ts
 * import { createTimerScheduler } from 'agent-presence/service';
 * const scheduler = createTimerScheduler();
 * const fired = new Promise<string>((resolve) => scheduler.set('agent-7', Date.now() + 5, () => resolve('tick')));
 * console.log(scheduler.size); // 1
 * // The scheduler's timers do not keep a process alive (they are unref'd); this one keeps it up for the wait.
 * const keepAlive = setTimeout(() => {}, 1_000);
 * console.log(await fired, scheduler.size); // tick 0
 * clearTimeout(keepAlive);
 * ```
 */
export function createTimerScheduler(options: { readonly clock?: Clock | undefined } = {}): Scheduler & { readonly size: number } {
  const now = () => (options.clock ? options.clock.now() : Date.now());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const arm = (agentId: string, at: number, fire: () => void): void => {
    const delay = Math.min(Math.max(0, at - now()), MAX_DELAY);
    const timer = setTimeout(() => {
      if (timers.get(agentId) !== timer) return;
      if (at - now() > 0 && delay === MAX_DELAY) return arm(agentId, at, fire); // a far deadline: next step
      timers.delete(agentId);
      fire();
    }, delay);
    (timer as { unref?: () => void }).unref?.();
    timers.set(agentId, timer);
  };

  return {
    get size() {
      return timers.size;
    },
    set(agentId, at, fire) {
      const earlier = timers.get(agentId);
      if (earlier !== undefined) clearTimeout(earlier);
      arm(agentId, at, fire);
    },
    cancel(agentId) {
      const timer = timers.get(agentId);
      if (timer === undefined) return;
      clearTimeout(timer);
      timers.delete(agentId);
    },
  };
}
