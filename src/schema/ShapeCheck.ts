import type { FieldRule, PresenceIssue } from '../core/index';
import { describeValue } from '../core/internal';

/**
 * A check of one value, without zod: it adds the value's problems to `issues`, each at a copy of `path` (the
 * checks push and pop their keys on it), and returns the value with its objects and arrays copied, keeping only
 * their known fields. Snapshots and stored records are read with these, so that `agent-presence/service` (and
 * the Redis adapters) read them without bundling zod; the zod schemas of `agent-presence/schema` wrap the same
 * checks.
 *
 * @internal
 */
export type ShapeCheck<T = unknown> = (value: unknown, path: (string | number)[], issues: PresenceIssue[]) => T;

/**
 * At most this many problems are looked for: once a check has found them, the arrays and objects it meets are not
 * looked into any further, and one more problem says so. A hostile record of a million bad fields is then refused as
 * fast as one of a few, with a message of a few kilobytes rather than tens of megabytes.
 *
 * @internal
 */
export const MAX_ISSUES = 50;

/** The problem lists already cut short (each gets the note once). */
const cutShort = new WeakSet<PresenceIssue[]>();

/** True once `issues` holds {@link MAX_ISSUES} problems (noting, the first time, that no more are looked for). */
function full(issues: PresenceIssue[], path: (string | number)[]): boolean {
  if (issues.length < MAX_ISSUES) return false;
  if (!cutShort.has(issues)) {
    cutShort.add(issues);
    issues.push({ path: [...path], message: `not looked into, nor what follows: ${MAX_ISSUES} problems were found before it` });
  }
  return true;
}

/** A key as a path shows it: a long one cut (an unknown field's name is anybody's input). */
const keyOf = (key: string): string => (key.length > 60 ? `${key.slice(0, 60)}…` : key);

/** A value checked with a core field rule, its message the rule's own. @internal */
export const field =
  <T = unknown>(rule: FieldRule): ShapeCheck<T> =>
  (value, path, issues) => {
    const problem = rule(value);
    if (problem !== undefined) issues.push({ path: [...path], message: problem });
    return value as T;
  };

/** `undefined`, or a value `check` accepts. @internal */
export const optional =
  <T>(check: ShapeCheck<T>): ShapeCheck<T | undefined> =>
  (value, path, issues) =>
    value === undefined ? undefined : check(value, path, issues);

/** `null`, or a value `check` accepts. @internal */
export const nullable =
  <T>(check: ShapeCheck<T>): ShapeCheck<T | null> =>
  (value, path, issues) =>
    value === null ? null : check(value, path, issues);

/**
 * An array whose every item `item` accepts (holes included); anything else is refused as not being `what`. With a
 * `limit`, an array holding more than `limit.max` items is refused as such, its items not looked at.
 *
 * @internal
 */
export function arrayOf<T>(item: ShapeCheck<T>, what: string, limit?: { readonly max: number; readonly items: string }): ShapeCheck<T[]> {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path: [...path], message: `must be ${what} (got ${describeValue(value)})` });
      return value as T[];
    }
    if (limit !== undefined && value.length > limit.max) {
      issues.push({ path: [...path], message: `must hold at most ${limit.max} ${limit.items} (got ${value.length})` });
      return value as T[];
    }
    const out: T[] = new Array<T>(value.length);
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      if (full(issues, path)) {
        path.pop();
        break;
      }
      out[index] = item(value[index], path, issues);
      path.pop();
    }
    return out;
  };
}

/**
 * An object (anything but `null` and arrays) with these fields, checked in this order; the copy keeps only them.
 * A `strict` object names each other field it has as not known, after the problems of its own fields.
 *
 * @internal
 */
export function objectOf<T>(shape: Readonly<Record<keyof T & string, ShapeCheck>>, strict: boolean, what = 'an object'): ShapeCheck<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path: [...path], message: `must be ${what} (got ${describeValue(value)})` });
      return value as T;
    }
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      path.push(key);
      if (full(issues, path)) {
        path.pop();
        break;
      }
      const checked: unknown = shape[key](input[key], path, issues);
      path.pop();
      if (checked !== undefined || key in input) out[key] = checked;
    }
    if (strict) {
      for (const key in input) {
        if (full(issues, path)) break;
        if (!Object.hasOwn(shape, key)) issues.push({ path: [...path, keyOf(key)], message: 'is not a known field' });
      }
    }
    return out as T;
  };
}
