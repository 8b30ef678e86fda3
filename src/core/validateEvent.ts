import { EVENT_FIELDS, type EventField } from './EVENT_FIELDS';
import { describeValue } from './fieldRules';
import { isPlainObject } from './isPlainObject';
import type { PresenceEvent } from './PresenceEvent';
import { unreadable, type PresenceIssue } from './PresenceIssue';

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
  let type: unknown;
  try {
    if (!isPlainObject(input)) return { issues: [{ path: [], message: `an event must be an object (got ${describeValue(input)})` }] };
  } catch {
    return { issues: [unreadable([])] };
  }
  try {
    type = input.type;
  } catch {
    return { issues: [unreadable(['type'])] };
  }
  if (typeof type !== 'string' || !Object.hasOwn(EVENT_FIELDS, type)) {
    return { issues: [{ path: ['type'], message: `must be one of ${Object.keys(EVENT_FIELDS).join(', ')} (got ${describeValue(type)})` }] };
  }
  const fields = EVENT_FIELDS[type as PresenceEvent['type']];
  const copy: Record<string, unknown> = { type };
  // Each field is read once: into the copy, and into `values` for the checks, which then read no object again.
  const values: unknown[] = [];
  const issues: PresenceIssue[] = [];
  // Indexed loops, and a field's tuple taken apart by index, not by its iterator: each is a measurable share of every
  // transition.
  for (let i = 0; i < fields.length; i++) {
    const name = (fields[i] as EventField)[0];
    try {
      const value = (values[i] = input[name]);
      if (value !== undefined) copy[name] = value;
    } catch {
      issues.push(unreadable([name]));
    }
  }
  // A rule builds its message only for a bad value: checking a good event costs no more than the checks themselves.
  for (let i = 0; i < fields.length; i++) {
    const { 0: name, 1: rule, 2: required } = fields[i] as EventField;
    const value = values[i];
    // Left out: fine unless required; a field that could not be read is named already.
    if (value === undefined && (!(typeof required === 'function' ? required(copy) : required) || issues.some((issue) => issue.path[0] === name))) continue;
    const problem = rule(value);
    if (problem !== undefined) issues.push({ path: [name], message: problem });
  }
  return issues.length > 0 ? { issues } : { event: copy as unknown as PresenceEvent };
}

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
