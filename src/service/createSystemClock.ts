import type { Clock } from './ports';

/**
 * The system clock, `Date.now()`: the service's default {@link Clock}.
 *
 * @returns the clock
 * @category Adapters
 * @example
 * ```ts
 * import { createSystemClock } from 'agent-presence/service';
 * console.log(createSystemClock().now() > 1_700_000_000_000); // true
 * ```
 */
export function createSystemClock(): Clock {
  return { now: () => Date.now() };
}
