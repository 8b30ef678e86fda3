import fc from 'fast-check';
import { BASE_STATUSES, STANDARD_PRESENCES } from '../core/index';
import type { AgentProfile, BaseStatus, CapacityProfile, CapacityPresences, PresenceConfig, PresenceInput } from '../core/index';
import { TRICKY_IDS } from './TRICKY_IDS';

/**
 * Options of {@link presenceConfigArb}.
 *
 * @category Arbitraries
 * @example
 * ```ts
 * import { presenceConfigArb, type PresenceConfigArbOptions } from 'agent-presence/testing';
 * const options: PresenceConfigArbOptions = { agentIds: ['alice', 'bob'], maxPresences: 3, trickyIds: false };
 * const configs = presenceConfigArb(options);
 * ```
 */
export interface PresenceConfigArbOptions {
  /**
   * Agents that may get a profile of their own (each config lists some of them). Default: `agent-1`, `agent-2`,
   * `agent-3`, and with `trickyIds` also `__proto__` and `constructor`.
   */
  readonly agentIds?: readonly string[] | undefined;
  /** The most custom presences in a config (default 6). */
  readonly maxPresences?: number | undefined;
  /** Whether ids from {@link TRICKY_IDS} appear now and then as agent and custom presence ids (default true). */
  readonly trickyIds?: boolean | undefined;
}

const STANDARD_IDS: readonly string[] = STANDARD_PRESENCES.map((p) => p.id);

/** Capacity in units: sometimes 0 (always full), mostly a whole number, sometimes a fraction. */
const capacityArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 120 }) },
  { weight: 1, arbitrary: fc.double({ min: 0.5, max: 120, noNaN: true }) },
);

/** A custom presence id: mostly readable (`custom-7`), sometimes any non-blank string or a tricky id; never a standard id. */
function customIdArb(trickyIds: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 20 }).map((n) => `custom-${n}`) },
    {
      weight: 1,
      arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0 && !STANDARD_IDS.includes(s)),
    },
    { weight: trickyIds ? 1 : 0, arbitrary: fc.constantFrom(...TRICKY_IDS) },
  );
}

/** A custom presence; `text`, `description` and `active` are sometimes left out, and about one in four is inactive. */
function presenceInputArb(trickyIds: boolean): fc.Arbitrary<PresenceInput> {
  return fc.record(
    {
      id: customIdArb(trickyIds),
      name: fc.constantFrom('Training', 'Lunch', 'Coaching', 'Back office', 'Meeting'),
      text: fc.constantFrom('In training', 'Out for lunch', 'Do not call'),
      base: fc.constantFrom(...BASE_STATUSES),
      description: fc.constantFrom('', 'Set by supervisors'),
      active: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      selectable: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    },
    { requiredKeys: ['id', 'name', 'base'] },
  );
}

/** Capacity profiles: one to three kinds of work, each with an item limit, some blocking. */
function capacityProfilesArb(trickyIds: boolean): fc.Arbitrary<Record<string, CapacityProfile>> {
  const names = ['chat', 'case', 'voice', ...(trickyIds ? ['__proto__'] : [])];
  const profile = fc.record({ maxItems: fc.integer({ min: 1, max: 3 }), blocking: fc.boolean() }, { requiredKeys: ['maxItems'] });
  // fromEntries defines own properties, so a profile named "__proto__" is a profile, not a prototype.
  return fc
    .uniqueArray(fc.tuple(fc.constantFrom(...names), profile), { selector: ([name]) => name, minLength: 1, maxLength: 3 })
    .map((entries) => Object.fromEntries(entries));
}

/**
 * Durations of the timed rules, in milliseconds: short (a fraction of a second to a few seconds) so that
 * expiries, idleness and wrap-ups come due within a generated sequence of events.
 */
const durationArb = (min: number) =>
  fc.oneof({ weight: 4, arbitrary: fc.integer({ min: Math.max(min, 1), max: 5_000 }) }, { weight: 1, arbitrary: fc.constant(min) });
/** A session's time to live: long enough for a few events between heartbeats. */
const sessionTtlArb = fc.integer({ min: 500, max: 5_000 });

/**
 * A profile naming only presences of the catalog: active defaults and rule presences, any subset as
 * `presenceIds`, capacity profiles, session, idle and wrap-up timings; every field optional.
 */
function profileArb(presences: readonly PresenceInput[], trickyIds: boolean): fc.Arbitrary<AgentProfile> {
  const active = [...STANDARD_IDS, ...presences.filter((p) => p.active !== false).map((p) => p.id)];
  return fc.record(
    {
      defaultPresenceId: fc.constantFrom(...active),
      presenceIds: fc.subarray([...STANDARD_IDS, ...presences.map((p) => p.id)]),
      capacity: capacityArb,
      maxWorkItems: fc.integer({ min: 1, max: 4 }),
      maxHeldItems: fc.integer({ min: 1, max: 6 }),
      maxSessions: fc.integer({ min: 1, max: 3 }),
      capacityProfiles: capacityProfilesArb(trickyIds),
      sessionTtlMs: sessionTtlArb,
      reconnectGraceMs: durationArb(0),
      idleAfterMs: durationArb(1),
      idlePresenceId: fc.constantFrom(...active),
      wrapUpMs: durationArb(0),
      wrapUpPresenceId: fc.constantFrom(...active),
      onMissed: fc.constantFrom(...active),
      onRejected: fc.constantFrom(...active),
    },
    { requiredKeys: [] },
  );
}

/** Capacity presences: each slot left out or naming an active presence of the slot's base (standard or custom). */
function capacityPresencesArb(presences: readonly PresenceInput[]): fc.Arbitrary<CapacityPresences> {
  const all = [...STANDARD_PRESENCES, ...presences];
  const fitting = (base: BaseStatus) => all.filter((p) => p.base === base && p.active !== false).map((p) => p.id);
  return fc.record(
    {
      none: fc.constantFrom(...fitting('Available')),
      partial: fc.constantFrom(...fitting('Busy')),
      full: fc.constantFrom(...fitting('BusyDND')),
    },
    { requiredKeys: [] },
  );
}

/**
 * Generates presence configs that `createPresenceMachine` accepts: custom presences with unique ids (random base
 * statuses, some inactive, some system presences with `selectable: false`, some with tricky ids such as
 * `__proto__`), an optional default profile, profiles of their own for some agents (default presence, allowed
 * presences, capacity including 0 and fractions, item limit, capacity profiles blocking or not, `sessionTtlMs`,
 * `reconnectGraceMs`, `idleAfterMs` and `idlePresenceId`, `wrapUpMs` and `wrapUpPresenceId`, `onMissed` and
 * `onRejected`; durations of milliseconds to seconds, so that they come due within a generated sequence), and
 * optional capacity presences. Objects sometimes come without a prototype, as `fc.record` makes them.
 *
 * @param options - agent ids, the most custom presences, whether tricky ids appear
 * @returns an arbitrary of valid configs
 * @category Arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { createPresenceMachine, validateConfig } from 'agent-presence';
 * import { presenceConfigArb } from 'agent-presence/testing';
 * fc.assert(fc.property(presenceConfigArb(), (config) => validateConfig(config).length === 0), { numRuns: 50 });
 * const [config] = fc.sample(presenceConfigArb({ agentIds: ['alice'] }), { numRuns: 1, seed: 42 });
 * createPresenceMachine(config);
 * ```
 */
export function presenceConfigArb(options: PresenceConfigArbOptions = {}): fc.Arbitrary<PresenceConfig> {
  const trickyIds = options.trickyIds ?? true;
  const agentIds = options.agentIds ?? ['agent-1', 'agent-2', 'agent-3', ...(trickyIds ? ['__proto__', 'constructor'] : [])];
  const profiles = (presences: readonly PresenceInput[]) =>
    agentIds.length === 0
      ? fc.constant({})
      : fc
          .uniqueArray(fc.tuple(fc.constantFrom(...agentIds), profileArb(presences, trickyIds)), {
            selector: ([agentId]) => agentId,
            maxLength: Math.min(agentIds.length, 3),
          })
          // fromEntries defines own properties, so an agent called "__proto__" is an agent, not a prototype.
          .map((entries) => Object.fromEntries(entries));
  return fc.uniqueArray(presenceInputArb(trickyIds), { selector: (p) => p.id, maxLength: options.maxPresences ?? 6 }).chain((presences) =>
    fc
      .record(
        {
          defaultProfile: profileArb(presences, trickyIds),
          agents: profiles(presences),
          capacityPresences: capacityPresencesArb(presences),
        },
        { requiredKeys: [] },
      )
      .map((rest): PresenceConfig => (presences.length > 0 ? { presences, ...rest } : rest)),
  );
}
