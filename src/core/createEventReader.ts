import { EVENT_FIELDS, type EventField } from './EVENT_FIELDS';
import type { EventReading } from './EventReading';
import { describeValue } from './fieldRules';
import { isPlainObject } from './isPlainObject';
import type { PresenceEvent } from './PresenceEvent';
import type { PresenceIssue } from './PresenceIssue';

/** Reads one event; see {@link readEvent}. */
export type EventReader = (input: unknown) => EventReading;

/** The reader of one event type: the plain object it is, with its `type` already read. */
type TypeReader = (input: Readonly<Record<string, unknown>>) => EventReading;

/**
 * Builds the event reader of `readEvent` (and of each machine, which builds its own): for each event type, from its
 * fields in {@link EVENT_FIELDS}, a reader that reads each field once into a plain copy and checks it as it goes,
 * stopping its checks at the first problem. Only an event with a problem is checked in full, from that copy (never
 * from the input again), to name every problem: a getter is read once, and what is checked is what is applied.
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
    if (read === undefined) return { issues: [{ path: ['type'], message: `must be one of ${[...readers.keys()].join(', ')} (got ${describeValue(type)})` }] };
    return read(input);
  };
}

/** The reader of one event type. Indexed loops: destructuring each field's tuple is a measurable share of a transition. */
const typeReader = (type: string, fields: readonly EventField[]): TypeReader => {
  // A requirement that depends on the other fields (`units` unless a profile is named) waits for the whole copy.
  const conditional = fields.filter(([, , required]) => typeof required === 'function');
  return (input) => {
    const copy: Record<string, unknown> = { type };
    let unread: string[] | undefined;
    let valid = true;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as EventField;
      const name = field[0];
      let value: unknown;
      try {
        value = input[name];
      } catch {
        (unread ??= []).push(name);
        valid = false;
        continue;
      }
      if (value !== undefined) copy[name] = value;
      if (valid) valid = value === undefined ? field[2] !== true : field[1](value) === undefined;
    }
    for (const [name, , required] of conditional) if (valid && copy[name] === undefined) valid = !(required as (event: object) => boolean)(copy);
    return valid ? { event: copy as unknown as PresenceEvent } : { issues: problems(copy, fields, unread ?? []) };
  };
};

/** Every problem of an event read into `copy`: the fields in `unread` could not be read, the others are checked in full. */
const problems = (copy: Readonly<Record<string, unknown>>, fields: readonly EventField[], unread: readonly string[]): PresenceIssue[] => {
  const issues = unread.map((name) => unreadable([name]));
  for (const [name, rule, required] of fields) {
    const value = copy[name];
    if (unread.includes(name) || (value === undefined && !(typeof required === 'function' ? required(copy) : required))) continue;
    const problem = rule(value);
    if (problem !== undefined) issues.push({ path: [name], message: problem });
  }
  return issues;
};

/** The problem of a value whose getter (or proxy) threw, at `path`. */
const unreadable = (path: string[]): PresenceIssue => ({ path, message: 'could not be read (a getter or proxy threw)' });
