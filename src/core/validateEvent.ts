import { createEventReader } from './createEventReader';
import type { EventReading } from './EventReading';
import type { PresenceIssue } from './PresenceIssue';

/**
 * Reads an event once and checks it: each known field is read a single time into a new plain object, and that copy
 * is what is checked and what the machine applies. A getter cannot show one value to the check and another to the
 * machine, and a getter that throws is a problem of its field, not an exception. Fields it does not know are left
 * out of the copy.
 *
 * @param input - anything claiming to be an event
 * @returns the checked copy, or every problem with the path of its field
 * @category Validation
 * @example
 * ```ts
 * import { readEvent } from 'agent-presence';
 * let reads = 0;
 * const tricky = { type: 'tick', get at() { return reads++ === 0 ? 5 : NaN; } };
 * console.log(readEvent(tricky).event); // { type: 'tick', at: 5 }
 * ```
 */
export function readEvent(input: unknown): EventReading {
  return (reader ??= createEventReader())(input);
}

/** The reader `readEvent` uses, built on its first call (a machine builds its own). */
let reader: ((input: unknown) => EventReading) | undefined;

/**
 * Checks an event against the domain rules and returns every problem, each with the path of its field. The
 * machine checks every event this way (a bad one is refused with `INVALID_EVENT`); the zod schemas of
 * `agent-presence/schema` run it too, so the rules live in one place. Fields it does not know are ignored.
 *
 * @param event - the event to check, of any type
 * @returns the problems; empty when the event is valid
 * @category Validation
 * @example
 * ```ts
 * import { validateEvent } from 'agent-presence';
 * validateEvent({ type: 'workAssigned', workItemId: 'c1', units: -5, at: 0 });
 * // [{ path: ['units'], message: 'must be a finite number ≥ 0 (got -5)' }]
 * ```
 */
export function validateEvent(event: unknown): PresenceIssue[] {
  return [...(readEvent(event).issues ?? [])];
}
