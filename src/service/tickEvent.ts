import type { TickEvent } from '../core/index';

/**
 * The `tick` to dispatch when an agent's deadline comes: `{ type: 'tick', at: deadline, eventId: 'tick@<deadline>' }`.
 * Every sender builds it here — the service's own timers, the Redis timers, a job queue of the host — so the ticks
 * several processes send for one deadline carry one event id, and the service applies the first and drops the
 * rest as duplicates.
 *
 * @param deadline - the deadline reached (the machine's `nextDeadline`), epoch milliseconds
 * @returns the tick event, with its event id
 * @category Adapters
 * @example
 * ```ts
 * import { tickEvent } from 'agent-presence/service';
 * console.log(tickEvent(1_767_225_600_000)); // { type: 'tick', at: 1767225600000, eventId: 'tick@1767225600000' }
 * ```
 */
export function tickEvent(deadline: number): TickEvent {
  return { type: 'tick', at: deadline, eventId: `tick@${deadline}` };
}
