import { EVENT_FIELDS, type EventField } from './EVENT_FIELDS';
import type { EventReading } from './EventReading';
import { describeValue } from './fieldRules';
import { isPlainObject } from './isPlainObject';
import type { PresenceEvent } from './PresenceEvent';
import { unreadable, type PresenceIssue } from './PresenceIssue';

/** Reads one event; see {@link readEvent}. */
export type EventReader = (input: unknown) => EventReading;

/** The reader of one event type: the plain object it is, with its `type` already read. */
type TypeReader = (input: Readonly<Record<string, unknown>>) => EventReading;

/**
 * Builds the event reader of `readEvent` (each machine builds its own): for each event type, from its fields in
 * {@link EVENT_FIELDS}, a reader that reads each field once into a plain copy and checks what it read. A getter is
 * read once, and what is checked is what is applied.
 *
 * @returns the reader
 */
export function createEventReader(): EventReader {
  const readers = new Map<string, TypeReader>(Object.entries(EVENT_FIELDS).map(([type, fields]) => [type, typeReader(type, fields)]));
  return (input) => {
    // What a getter or proxy throws is never read: it may be as hostile as the getter that threw it.
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
    const read = typeof type === 'string' ? readers.get(type) : undefined;
    if (read === undefined)
      return { issues: [{ path: ['type'], message: `must be one of ${Object.keys(EVENT_FIELDS).join(', ')} (got ${describeValue(type)})` }] };
    return read(input);
  };
}

/**
 * The reader of one event type: each field read once (into the copy, and into `values` for the checks, which then
 * read no object again), then checked; a rule builds its message only for a bad value, so checking a good event
 * costs no more than the checks themselves. Indexed loops: destructuring each field's tuple costs the hot path.
 */
const typeReader =
  (type: string, fields: readonly EventField[]): TypeReader =>
  (input) => {
    const copy: Record<string, unknown> = { type };
    const values: unknown[] = [];
    const issues: PresenceIssue[] = [];
    for (let i = 0; i < fields.length; i++) {
      const name = (fields[i] as EventField)[0];
      try {
        const value = (values[i] = input[name]);
        if (value !== undefined) copy[name] = value;
      } catch {
        issues.push(unreadable([name]));
      }
    }
    for (let i = 0; i < fields.length; i++) {
      const [name, rule, required] = fields[i] as EventField;
      const value = values[i];
      // Left out: fine unless required; one that could not be read is named already.
      if (value === undefined && (!(typeof required === 'function' ? required(copy) : required) || issues.some((issue) => issue.path[0] === name))) continue;
      const problem = rule(value);
      if (problem !== undefined) issues.push({ path: [name], message: problem });
    }
    return issues.length > 0 ? { issues } : { event: copy as unknown as PresenceEvent };
  };
