import type { BaseStatus } from './BaseStatus';
import { describeValue, fieldRules, type FieldRule } from './fieldRules';
import { isPlainObject } from './isPlainObject';
import type { PresenceIssue } from './PresenceIssue';
import { STANDARD_PRESENCES } from './STANDARD_PRESENCES';

type Path = readonly (string | number)[];
type Known = { readonly base: BaseStatus; readonly active: boolean };

/** The base each capacity slot needs. */
const SLOT_BASES = { none: 'Available', partial: 'Busy', full: 'BusyDND' } as const satisfies Record<string, BaseStatus>;
const CONFIG_KEYS = ['presences', 'defaultProfile', 'agents', 'capacityPresences'];
const PRESENCE_KEYS = ['id', 'name', 'text', 'base', 'description', 'active', 'selectable'];
/** Profile fields that name one presence, which must exist and be active. */
const PROFILE_REFERENCES = ['defaultPresenceId', 'idlePresenceId', 'wrapUpPresenceId', 'onMissed', 'onRejected'];
/** Profile fields that hold a number, with their rules. */
const PROFILE_NUMBERS: Readonly<Record<string, FieldRule>> = {
  capacity: fieldRules.capacity,
  maxWorkItems: fieldRules.maxWorkItems,
  sessionTtlMs: fieldRules.period,
  reconnectGraceMs: fieldRules.duration,
  idleAfterMs: fieldRules.period,
  wrapUpMs: fieldRules.duration,
};
const PROFILE_KEYS = [...PROFILE_REFERENCES, 'presenceIds', ...Object.keys(PROFILE_NUMBERS), 'capacityProfiles'];
const CAPACITY_PROFILE_KEYS = ['maxItems', 'blocking'];

/**
 * Checks a presence config and returns every problem found, each with the path of its field; an empty list means
 * `createPresenceMachine` accepts it. Accepts any value, so it can check config read from a database before use.
 *
 * Checked: the shape of every field, unknown fields, unknown base statuses, empty names, duplicate presence ids
 * (also clashes with the five standard ids), references to unknown or inactive presences (defaults, `presenceIds`,
 * `capacityPresences`), a capacity presence whose base does not fit its slot, and negative or non-finite capacity.
 *
 * @param config - the config to check, of any type
 * @returns the problems, in the order of the config's fields; empty when the config is valid
 * @category Validation
 * @example
 * ```ts
 * import { validateConfig } from 'agent-presence';
 * const issues = validateConfig({ capacityPresences: { full: 'away' } });
 * console.log(issues[0]?.message); // presence "away" has base Away, but the full slot needs a BusyDND presence
 * ```
 */
export function validateConfig(config: unknown): PresenceIssue[] {
  const issues: PresenceIssue[] = [];
  const report = (path: Path, message: string) => issues.push({ path, message });
  const check = (path: Path, rule: FieldRule, value: unknown) => {
    const problem = rule(value);
    if (problem !== undefined) report(path, problem);
  };
  const checkKeys = (path: Path, value: Record<string, unknown>, allowed: readonly string[]) => {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) report([...path, key], `is not a known field (known: ${allowed.join(', ')})`);
    }
  };

  if (!isPlainObject(config)) {
    report([], `must be an object (got ${describeValue(config)})`);
    return issues;
  }
  checkKeys([], config, CONFIG_KEYS);

  /** Presences by id; `null` for one already reported for its base, which references then pass over. */
  const known = new Map<string, Known | null>(STANDARD_PRESENCES.map((p) => [p.id, p]));
  const { presences } = config;
  if (presences !== undefined && !Array.isArray(presences)) {
    report(['presences'], `must be an array (got ${describeValue(presences)})`);
  } else {
    (presences ?? []).forEach((presence: unknown, index: number) => {
      const path = ['presences', index];
      if (!isPlainObject(presence)) return report(path, `must be an object (got ${describeValue(presence)})`);
      checkKeys(path, presence, PRESENCE_KEYS);
      check([...path, 'id'], fieldRules.id, presence.id);
      check([...path, 'name'], fieldRules.name, presence.name);
      if (presence.text !== undefined) check([...path, 'text'], fieldRules.name, presence.text);
      check([...path, 'base'], fieldRules.base, presence.base);
      if (presence.description !== undefined) check([...path, 'description'], fieldRules.description, presence.description);
      for (const flag of ['active', 'selectable']) if (presence[flag] !== undefined) check([...path, flag], fieldRules.flag, presence[flag]);
      if (typeof presence.id !== 'string') return;
      if (known.has(presence.id)) {
        const what = STANDARD_PRESENCES.some((p) => p.id === presence.id) ? 'a standard presence' : 'an earlier presence';
        return report([...path, 'id'], `duplicates the id ${JSON.stringify(presence.id)} of ${what}`);
      }
      const valid = fieldRules.base(presence.base) === undefined;
      known.set(presence.id, valid ? { base: presence.base as BaseStatus, active: presence.active !== false } : null);
    });
  }

  const checkReference = (path: Path, value: unknown): Known | undefined => {
    const problem = fieldRules.id(value);
    if (problem !== undefined) return void report(path, problem);
    const presence = known.get(value as string);
    if (presence === undefined) report(path, `names no known presence (got ${describeValue(value)})`);
    return presence ?? undefined;
  };

  const checkProfile = (path: Path, profile: unknown) => {
    if (!isPlainObject(profile)) return report(path, `must be an object (got ${describeValue(profile)})`);
    checkKeys(path, profile, PROFILE_KEYS);
    for (const field of PROFILE_REFERENCES) {
      if (profile[field] === undefined) continue;
      const presence = checkReference([...path, field], profile[field]);
      if (presence?.active === false) report([...path, field], `names the inactive presence ${describeValue(profile[field])}`);
    }
    const ids = profile.presenceIds;
    if (ids !== undefined && !Array.isArray(ids)) {
      report([...path, 'presenceIds'], `must be an array of presence ids (got ${describeValue(ids)})`);
    } else {
      (ids ?? []).forEach((id: unknown, index: number) => checkReference([...path, 'presenceIds', index], id));
    }
    for (const [field, rule] of Object.entries(PROFILE_NUMBERS)) {
      if (profile[field] !== undefined) check([...path, field], rule, profile[field]);
    }
    const capacityProfiles = profile.capacityProfiles;
    if (capacityProfiles === undefined) return;
    if (!isPlainObject(capacityProfiles)) {
      return report([...path, 'capacityProfiles'], `must be an object of capacity profiles by name (got ${describeValue(capacityProfiles)})`);
    }
    for (const name of Object.keys(capacityProfiles)) {
      const at = [...path, 'capacityProfiles', name];
      const problem = fieldRules.id(name);
      if (problem !== undefined) report(at, `capacity profile name ${problem}`);
      const limits = capacityProfiles[name];
      if (!isPlainObject(limits)) {
        report(at, `must be an object such as { maxItems: 3 } (got ${describeValue(limits)})`);
        continue;
      }
      checkKeys(at, limits, CAPACITY_PROFILE_KEYS);
      check([...at, 'maxItems'], fieldRules.maxWorkItems, limits.maxItems);
      if (limits.blocking !== undefined) check([...at, 'blocking'], fieldRules.flag, limits.blocking);
    }
  };

  if (config.defaultProfile !== undefined) checkProfile(['defaultProfile'], config.defaultProfile);

  const { agents } = config;
  if (agents !== undefined && !isPlainObject(agents)) {
    report(['agents'], `must be an object of profiles by agent id (got ${describeValue(agents)})`);
  } else if (agents !== undefined) {
    for (const agentId of Object.keys(agents)) {
      const problem = fieldRules.id(agentId);
      if (problem !== undefined) report(['agents', agentId], `agent id ${problem}`);
      checkProfile(['agents', agentId], agents[agentId]);
    }
  }

  const slots = config.capacityPresences;
  if (slots !== undefined && !isPlainObject(slots)) {
    report(['capacityPresences'], `must be an object (got ${describeValue(slots)})`);
  } else if (slots !== undefined) {
    checkKeys(['capacityPresences'], slots, Object.keys(SLOT_BASES));
    for (const [slot, base] of Object.entries(SLOT_BASES)) {
      const value = slots[slot];
      if (value === undefined) continue;
      const path = ['capacityPresences', slot];
      const presence = checkReference(path, value);
      if (presence === undefined) continue;
      if (presence.base !== base) {
        report(path, `presence ${JSON.stringify(value)} has base ${presence.base}, but the ${slot} slot needs a ${base} presence`);
      } else if (!presence.active) {
        report(path, `names the inactive presence ${JSON.stringify(value)}`);
      }
    }
  }
  return issues;
}
