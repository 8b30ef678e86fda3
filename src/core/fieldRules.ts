import { BASE_STATUSES, isBaseStatus } from './BaseStatus';
import { isPlainObject } from './isPlainObject';

/**
 * A check of one field: `undefined` when the value is fine, otherwise what is wrong with it, phrased to follow
 * the field's name ("must be …").
 *
 * @category Validation
 * @example
 * ```ts
 * import { fieldRules, type FieldRule } from 'agent-presence';
 * const rule: FieldRule = fieldRules.units;
 * rule(-1); // 'must be a finite number ≥ 0 (got -1)'
 * ```
 */
export type FieldRule = (value: unknown) => string | undefined;

/**
 * Longest id accepted (agents, presences, work items), in UTF-16 code units. Ids are data, not documents.
 *
 * @category Validation
 * @example
 * ```ts
 * import { MAX_ID_LENGTH } from 'agent-presence';
 * const fits = (id: string) => id.length > 0 && id.length <= MAX_ID_LENGTH;
 * ```
 */
export const MAX_ID_LENGTH = 256;
/**
 * Longest presence name, text or description accepted.
 *
 * @category Validation
 * @example
 * ```ts
 * import { MAX_TEXT_LENGTH } from 'agent-presence';
 * const label = (text: string) => text.slice(0, MAX_TEXT_LENGTH);
 * ```
 */
export const MAX_TEXT_LENGTH = 1000;

/**
 * The latest time accepted, in epoch milliseconds: the last instant a `Date` can hold (year 275760). Event times
 * and every time in a state lie in `0 … MAX_TIME`; a deadline that would fall later is held at `MAX_TIME`.
 *
 * @category Validation
 * @example
 * ```ts
 * import { MAX_TIME } from 'agent-presence';
 * console.log(new Date(MAX_TIME).toISOString()); // +275760-09-13T00:00:00.000Z
 * ```
 */
export const MAX_TIME = 8.64e15;

/**
 * The longest duration accepted, in milliseconds (one year of 365 days): session time-to-live, idleness,
 * reconnect grace, wrap-up. Long enough for any contact center, short enough that a time plus a duration stays a
 * number every store keeps as it is.
 *
 * @category Validation
 * @example
 * ```ts
 * import { MAX_DURATION_MS } from 'agent-presence';
 * console.log(MAX_DURATION_MS / 86_400_000); // 365
 * ```
 */
export const MAX_DURATION_MS = 365 * 86_400_000;

/**
 * The most sessions one agent may hold at once (devices, tabs), and the upper bound of a profile's `maxSessions`.
 *
 * @category Validation
 * @example
 * ```ts
 * import { MAX_SESSIONS } from 'agent-presence';
 * console.log(MAX_SESSIONS); // 64
 * ```
 */
export const MAX_SESSIONS = 64;

/**
 * The most work items one agent may hold at once, wrap-ups included, and the upper bound of a profile's
 * `maxHeldItems`. It bounds the work of every transition.
 *
 * @category Validation
 * @example
 * ```ts
 * import { MAX_HELD_ITEMS } from 'agent-presence';
 * console.log(MAX_HELD_ITEMS); // 1000
 * ```
 */
export const MAX_HELD_ITEMS = 1000;

/**
 * The time `ms` after `at`, held at {@link MAX_TIME}: every deadline the machine computes goes through it, so a
 * state never holds a time past what a `Date` (or JSON) can carry.
 *
 * @internal
 */
export const later = (at: number, ms: number): number => Math.min(at + ms, MAX_TIME);

/**
 * Shows a value inside a message without flooding it: long strings are cut, odd numbers are named.
 *
 * @internal
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) {
    // A Date, a Map or a class instance is named: "(got an instance of Date)" says at once what went wrong.
    const kind: unknown = isPlainObject(value) || (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof kind === 'string' && kind !== '' ? `an instance of ${kind}` : 'an object';
  }
  return typeof value === 'number' || typeof value === 'boolean' || value == null ? String(value) : `a ${typeof value}`;
}

/** A finite number ≥ 0 (> 0 when `positive`) and at most `max`. */
function finite(max = Infinity, positive = false): FieldRule {
  return (value) =>
    Number.isFinite(value) && ((value as number) > 0 || (!positive && value === 0)) && (value as number) <= max
      ? undefined
      : `must be a finite number ${positive ? '>' : '≥'} 0${max < Infinity ? ` and ≤ ${max}` : ''} (got ${describeValue(value)})`;
}

/** A whole number from `min` to `max`. */
function whole(min: number, max = Infinity): FieldRule {
  return (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? undefined
      : `must be a whole number ≥ ${min}${max < Infinity ? ` and ≤ ${max}` : ''} (got ${describeValue(value)})`;
}

/**
 * A lone surrogate: half of a UTF-16 pair without its other half. Stores encode strings as UTF-8, which has no
 * such thing and writes U+FFFD instead, so two ids that differ only there would share one record.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/** A well-formed string of at most `max` characters, not blank unless `blank`. */
function text(max: number, blank = false): FieldRule {
  return (value) =>
    typeof value === 'string' && value.length <= max && (blank || value.trim() !== '')
      ? LONE_SURROGATE.test(value)
        ? `must not hold a lone surrogate (got ${describeValue(value)}): send well-formed UTF-16`
        : undefined
      : `must be a ${blank ? '' : 'non-empty '}string of ≤ ${max} characters (got ${describeValue(value)})`;
}

/**
 * The domain rules of single fields, written once and used everywhere: by the core when it checks events and
 * config, and by the zod schemas of `agent-presence/schema`, which wrap them rather than repeat them.
 *
 * @category Validation
 * @example
 * ```ts
 * import { fieldRules } from 'agent-presence';
 * fieldRules.time(Date.now()); // undefined: fine
 * fieldRules.id('');           // 'must be a non-empty string of ≤ 256 characters (got "")'
 * ```
 */
export const fieldRules = {
  /** Ids of agents, presences and work items. */
  id: text(MAX_ID_LENGTH),
  /** Presence names (and texts when given). */
  name: text(MAX_TEXT_LENGTH),
  /** Descriptions: any string up to the length limit, empty allowed. */
  description: text(MAX_TEXT_LENGTH, true),
  /** Times: epoch milliseconds a `Date` can hold, 0 to {@link MAX_TIME}. */
  time: finite(MAX_TIME),
  /** Durations in milliseconds where 0 means none (reconnect grace, wrap-up), at most {@link MAX_DURATION_MS}. */
  duration: finite(MAX_DURATION_MS),
  /** Durations in milliseconds that must pass before something happens (session time-to-live, idleness). */
  period: finite(MAX_DURATION_MS, true),
  /** When a picked presence applies. */
  when: (value: unknown) => (value === 'now' || value === 'afterWork' ? undefined : `must be "now" or "afterWork" (got ${describeValue(value)})`),
  /** Units a work item holds. */
  units: finite(),
  /** An agent's capacity in units. */
  capacity: finite(),
  /** The most items an agent holds before capacity counts as full (and a capacity profile's `maxItems`). */
  maxWorkItems: whole(1),
  /** A profile's limit of sessions held at once. */
  maxSessions: whole(1, MAX_SESSIONS),
  /** A profile's limit of items held at once, wrap-ups included. */
  maxHeldItems: whole(1, MAX_HELD_ITEMS),
  /** How many answers a query may ask for (`findAvailable`'s `limit`). */
  queryLimit: whole(1),
  /** A base status. */
  base: (value: unknown) => (isBaseStatus(value) ? undefined : `must be one of ${BASE_STATUSES.join(', ')} (got ${describeValue(value)})`),
  /** A flag. */
  flag: (value: unknown) => (typeof value === 'boolean' ? undefined : `must be true or false (got ${describeValue(value)})`),
} as const satisfies Record<string, FieldRule>;
