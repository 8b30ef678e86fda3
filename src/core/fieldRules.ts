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

/** A finite number ≥ 0, or > 0 when `positive`. */
function finite(positive = false): FieldRule {
  return (value) =>
    Number.isFinite(value) && ((value as number) > 0 || (!positive && value === 0))
      ? undefined
      : `must be a finite number ${positive ? '>' : '≥'} 0 (got ${describeValue(value)})`;
}

/** A string of at most `max` characters, not blank unless `blank`. */
function text(max: number, blank = false): FieldRule {
  return (value) =>
    typeof value === 'string' && value.length <= max && (blank || /\S/.test(value))
      ? undefined
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
  /** Event times: epoch milliseconds. */
  time: finite(),
  /** Durations in milliseconds where 0 means none (reconnect grace, wrap-up). */
  duration: finite(),
  /** Durations in milliseconds that must pass before something happens (session time-to-live, idleness). */
  period: finite(true),
  /** When a picked presence applies. */
  when: (value: unknown) => (value === 'now' || value === 'afterWork' ? undefined : `must be "now" or "afterWork" (got ${describeValue(value)})`),
  /** Units a work item holds. */
  units: finite(),
  /** An agent's capacity in units. */
  capacity: finite(),
  /** The most items an agent holds at once. */
  maxWorkItems: (value: unknown) =>
    Number.isInteger(value) && (value as number) >= 1
      ? undefined
      : `must be a whole number ≥ 1 (got ${describeValue(value)})`,
  /** A base status. */
  base: (value: unknown) =>
    isBaseStatus(value) ? undefined : `must be one of ${BASE_STATUSES.join(', ')} (got ${describeValue(value)})`,
  /** A flag. */
  flag: (value: unknown) => (typeof value === 'boolean' ? undefined : `must be true or false (got ${describeValue(value)})`),
} as const satisfies Record<string, FieldRule>;
