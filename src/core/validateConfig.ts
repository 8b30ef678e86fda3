import type { BaseStatus } from './BaseStatus';
import { describeValue, fieldRules, type FieldRule } from './fieldRules';
import { isPlainObject } from './isPlainObject';
import type { PresenceIssue } from './PresenceIssue';
import { STANDARD_PRESENCES } from './STANDARD_PRESENCES';

type Path = readonly (string | number)[];
type Known = { readonly base: BaseStatus; readonly active?: boolean };
/**
 * The check of one value at `path`: gives the problem of the value itself, if any, and reports the problems of
 * what it contains on its own. A {@link FieldRule} is one, for a value that contains nothing.
 */
type Check = (value: unknown, path: Path) => string | undefined;

/**
 * Checks a presence config and returns every problem found, each with the path of its field; an empty list means
 * `createPresenceMachine` accepts it. Accepts any value, so it can check config read from a database before use.
 *
 * Checked: the shape of every field, unknown fields, unknown base statuses, empty names, duplicate presence ids
 * (also clashes with the six standard ids), references to unknown or inactive presences (defaults, `presenceIds`,
 * `capacityPresences`), a capacity presence whose base does not fit its slot, and negative or non-finite capacity.
 *
 * @param config - the config to check, of any type
 * @returns the problems, in the order of the config's fields; empty when the config is valid
 * @category Validation
 * @example
 * ```ts
 * import { validateConfig } from 'agent-presence';
 * const issues = validateConfig({ capacityPresences: { full: 'away' } });
 * console.log(issues[0]?.message); // must name a presence of base BusyDND (got "away" of base Away)
 * ```
 */
export function validateConfig(config: unknown): PresenceIssue[] {
  const issues: PresenceIssue[] = [];
  const report = (path: Path, message: string) => issues.push({ path, message });
  const check = (path: Path, value: unknown, rule: Check) => {
    const problem = rule(value, path);
    if (problem !== undefined) report(path, problem);
  };
  const mustBe = (what: string, value: unknown) => `must be ${what} (got ${describeValue(value)})`;

  /** An object with the given fields, checked in table order after any unknown field; left-out fields pass unless required. */
  const object =
    (fields: Readonly<Record<string, Check>>, required: readonly string[] = []): Check =>
    (value, path) => {
      if (!isPlainObject(value)) return mustBe('an object', value);
      const names = Object.keys(fields);
      for (const key of Object.keys(value)) {
        if (!names.includes(key)) report([...path, key], `is not a known field (known: ${names.join(', ')})`);
      }
      for (const name of names) {
        if (value[name] !== undefined || required.includes(name)) check([...path, name], value[name], fields[name] as Check);
      }
      return undefined;
    };

  /** An array whose every item meets `item`. */
  const arrayOf =
    (item: Check): Check =>
    (value, path) => {
      if (!Array.isArray(value)) return mustBe('an array', value);
      value.forEach((entry: unknown, index: number) => check([...path, index], entry, item));
      return undefined;
    };

  /** An object whose keys are ids (of `keyName`) and whose every value meets `entry`. */
  const recordOf =
    (entry: Check): Check =>
    (value, path) => {
      if (!isPlainObject(value)) return mustBe('an object', value);
      for (const key of Object.keys(value)) {
        const problem = fieldRules.id(key);
        if (problem !== undefined) report([...path, key], problem);
        check([...path, key], value[key], entry);
      }
      return undefined;
    };

  /** Presences by id; `null` for one already reported for its base, which references then pass over. */
  const known = new Map<string, Known | null>(STANDARD_PRESENCES.map((p) => [p.id, p]));

  const presenceFields = object(
    {
      id: fieldRules.id,
      name: fieldRules.name,
      text: fieldRules.name,
      base: fieldRules.base,
      description: fieldRules.description,
      active: fieldRules.flag,
      selectable: fieldRules.flag,
    },
    ['id', 'name', 'base'],
  );
  /** A custom presence, which then joins the known ones unless its id is taken. */
  const presence: Check = (value, path) => {
    const problem = presenceFields(value, path);
    if (problem !== undefined) return problem;
    const { id, base } = value as Record<string, unknown>;
    if (typeof id !== 'string') return undefined;
    if (known.has(id)) {
      report([...path, 'id'], `duplicates a presence id (got ${describeValue(id)})`);
    } else {
      known.set(id, fieldRules.base(base) === undefined ? (value as Known) : null);
    }
    return undefined;
  };

  /** An id naming a known presence. */
  const reference: FieldRule = (value) =>
    fieldRules.id(value) ?? (known.has(value as string) ? undefined : `names no known presence (got ${describeValue(value)})`);
  /** An id naming a known presence that is active. */
  const activeReference: FieldRule = (value) =>
    reference(value) ?? (known.get(value as string)?.active === false ? `names an inactive presence (got ${describeValue(value)})` : undefined);
  /** The presence of a capacity slot: known, of the base the slot needs, and active. */
  const slot =
    (base: BaseStatus): FieldRule =>
    (value) => {
      const presence = known.get(value as string);
      return presence && presence.base !== base
        ? `must name a presence of base ${base} (got ${describeValue(value)} of base ${presence.base})`
        : activeReference(value);
    };

  const profile = object({
    defaultPresenceId: activeReference,
    idlePresenceId: activeReference,
    wrapUpPresenceId: activeReference,
    onMissed: activeReference,
    onRejected: activeReference,
    presenceIds: arrayOf(reference),
    capacity: fieldRules.capacity,
    maxWorkItems: fieldRules.maxWorkItems,
    maxHeldItems: fieldRules.maxHeldItems,
    maxSessions: fieldRules.maxSessions,
    sessionTtlMs: fieldRules.period,
    reconnectGraceMs: fieldRules.duration,
    idleAfterMs: fieldRules.period,
    wrapUpMs: fieldRules.duration,
    capacityProfiles: recordOf(object({ maxItems: fieldRules.maxWorkItems, blocking: fieldRules.flag }, ['maxItems'])),
  });

  check(
    [],
    config,
    object({
      presences: arrayOf(presence),
      defaultProfile: profile,
      agents: recordOf(profile),
      capacityPresences: object({ none: slot('Available'), partial: slot('Busy'), full: slot('BusyDND') }),
    }),
  );
  return issues;
}
