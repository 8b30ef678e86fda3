import type { PresenceEvent } from './PresenceEvent';
import type { PresenceIssue } from './PresenceIssue';

/**
 * What {@link readEvent} gives: the event read once into a plain object of its known fields, or every problem.
 *
 * @category Validation
 * @example
 * ```ts
 * import { readEvent, type EventReading } from 'agent-presence';
 * const reading: EventReading = readEvent({ type: 'tick', at: 5 });
 * if (reading.event) console.log(reading.event.at); // 5
 * ```
 */
export type EventReading =
  { readonly event: PresenceEvent; readonly issues?: undefined } | { readonly event?: undefined; readonly issues: readonly PresenceIssue[] };
