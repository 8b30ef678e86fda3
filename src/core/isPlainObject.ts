/**
 * Whether a value is a plain object: made by an object literal, `JSON.parse` or `Object.create(null)`, in this
 * realm or another. Arrays, dates, maps and class instances are not. Internal: config and events must be plain
 * data, so the state built from them stays plain JSON.
 *
 * @param value - anything
 * @returns true for a plain object
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
