/**
 * fast-check arbitraries for the presence machine: valid random configs, and event sequences for one agent that mix
 * every event type with duplicates, unknown ids, late events and the odd hostile event.
 *
 * Everything generated here is data only; the properties that use it live in the test files. Note that
 * `fc.record` sometimes builds objects without a prototype, so configs also arrive as prototype-less objects,
 * which the machine must accept like any other.
 */
import fc from 'fast-check';
import { BASE_STATUSES, STANDARD_PRESENCES } from '../../src/index';
import type {
  AgentProfile,
  BaseStatus,
  CapacityPresences,
  PresenceConfig,
  PresenceEvent,
  PresenceInput,
} from '../../src/index';

/** The ids of the five standard presences. */
export const STANDARD_IDS: readonly string[] = STANDARD_PRESENCES.map((p) => p.id);

/** Agents that may get their own profile; `AGENT_WITHOUT_PROFILE` never does, so it falls back to the default profile. */
export const AGENT_IDS = ['agent-1', 'agent-2', 'agent-3'] as const;
export const AGENT_WITHOUT_PROFILE = 'agent-unlisted';

/** Work item ids: a small pool, so duplicate assignments and releases of items not held happen often. */
export const WORK_ITEM_IDS = ['chat-1', 'chat-2', 'case-1', 'case-2'] as const;
/** A work item id that is never assigned. */
export const NEVER_ASSIGNED_ITEM = 'call-never-assigned';
/** Presence ids no config here defines (unless a random custom id happens to match one; see `eventsArbitrary`). */
export const UNKNOWN_PRESENCE_IDS = ['no-such-presence', 'AVAILABLE', 'away '] as const;
/** The largest unit count a generated work item holds. */
export const MAX_UNITS = 60;

/**
 * Events that are not events: wrong shapes, unknown types, missing fields, bad ids, negative or non-finite numbers.
 * The machine must refuse every one with INVALID_EVENT (and never throw).
 */
export const HOSTILE_EVENTS: readonly unknown[] = [
  null,
  42,
  'signIn',
  [],
  {},
  { type: 'signIn' },
  { type: 'nap', at: 5 },
  { type: 'SIGNIN', at: 5 },
  { type: 'signOut', at: -1 },
  { type: 'signOut', at: Number.NaN },
  { type: 'signIn', at: Number.POSITIVE_INFINITY },
  { type: 'signIn', at: '5' },
  { type: 'setPresence', at: 5 },
  { type: 'setPresence', presenceId: '', at: 5 },
  { type: 'setPresence', presenceId: '   ', at: 5 },
  { type: 'setPresence', presenceId: 'x'.repeat(257), at: 5 },
  { type: 'setPresence', presenceId: 7, at: 5 },
  { type: 'workAssigned', workItemId: 'chat-1', at: 5 },
  { type: 'workAssigned', workItemId: 'chat-1', units: -1, at: 5 },
  { type: 'workAssigned', workItemId: 'chat-1', units: Number.NaN, at: 5 },
  { type: 'workAssigned', workItemId: 'chat-1', units: Number.POSITIVE_INFINITY, at: 5 },
  { type: 'workAssigned', workItemId: 'chat-1', units: '10', at: 5 },
  { type: 'workAssigned', units: 10, at: 5 },
  { type: 'workReleased', at: 5 },
  { type: 'workReleased', workItemId: ['chat-1'], at: 5 },
];

/** One of {@link HOSTILE_EVENTS}, typed as an event because that is how a careless caller would pass it. */
export const hostileEventArbitrary: fc.Arbitrary<PresenceEvent> = fc
  .constantFrom(...HOSTILE_EVENTS)
  .map((event) => event as PresenceEvent);

/** A custom presence id: mostly readable (`custom-7`), sometimes any non-blank string; never a standard id. */
const customIdArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 20 }).map((n) => `custom-${n}`) },
  {
    weight: 1,
    arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0 && !STANDARD_IDS.includes(s)),
  },
);

/** A custom presence; `text`, `description` and `active` are sometimes left out, and about one in four is inactive. */
const presenceInputArbitrary: fc.Arbitrary<PresenceInput> = fc.record(
  {
    id: customIdArbitrary,
    name: fc.constantFrom('Training', 'Lunch', 'Coaching', 'Back office', 'Meeting'),
    text: fc.constantFrom('In training', 'Out for lunch', 'Do not call'),
    base: fc.constantFrom(...BASE_STATUSES),
    description: fc.constantFrom('', 'Set by supervisors'),
    active: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  },
  { requiredKeys: ['id', 'name', 'base'] },
);

/** Capacity in units: sometimes 0 (always full), mostly a whole number, sometimes a fraction. */
const capacityArbitrary: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 120 }) },
  { weight: 1, arbitrary: fc.double({ min: 0.5, max: 120, noNaN: true }) },
);

/** Units of one work item: mostly whole numbers from 0, sometimes exactly 0, sometimes a fraction. */
const unitsArbitrary: fc.Arbitrary<number> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: MAX_UNITS }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: MAX_UNITS, noNaN: true }) },
);

const activeIds = (presences: readonly PresenceInput[]): string[] => [
  ...STANDARD_IDS,
  ...presences.filter((p) => p.active !== false).map((p) => p.id),
];

/** A profile naming only presences of the catalog: an active default, any subset as `presenceIds`; every field optional. */
function profileArbitrary(presences: readonly PresenceInput[]): fc.Arbitrary<AgentProfile> {
  return fc.record(
    {
      defaultPresenceId: fc.constantFrom(...activeIds(presences)),
      presenceIds: fc.subarray([...STANDARD_IDS, ...presences.map((p) => p.id)]),
      capacity: capacityArbitrary,
      maxWorkItems: fc.integer({ min: 1, max: 4 }),
    },
    { requiredKeys: [] },
  );
}

/** Capacity presences: each slot left out or naming an active presence of the slot's base (standard or custom). */
function capacityPresencesArbitrary(presences: readonly PresenceInput[]): fc.Arbitrary<CapacityPresences> {
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
 * A config `createPresenceMachine` accepts: up to six custom presences with unique ids (random bases, some
 * inactive), an optional default profile, profiles for up to three agents, and optional capacity presences.
 */
export const configArbitrary: fc.Arbitrary<PresenceConfig> = fc
  .uniqueArray(presenceInputArbitrary, { selector: (p) => p.id, maxLength: 6 })
  .chain((presences) =>
    fc
      .record(
        {
          defaultProfile: profileArbitrary(presences),
          agents: fc
            .uniqueArray(fc.tuple(fc.constantFrom(...AGENT_IDS), profileArbitrary(presences)), {
              selector: ([agentId]) => agentId,
              maxLength: AGENT_IDS.length,
            })
            .map((entries) => Object.fromEntries(entries)),
          capacityPresences: capacityPresencesArbitrary(presences),
        },
        { requiredKeys: [] },
      )
      .map((rest): PresenceConfig => (presences.length > 0 ? { presences, ...rest } : rest)),
  );

/** An event without its time; `at` is filled in by `eventsArbitrary` so that time mostly moves forward. */
type Untimed = { readonly type: 'signIn' } | { readonly type: 'signOut' }
  | { readonly type: 'setPresence'; readonly presenceId: string }
  | { readonly type: 'workAssigned'; readonly workItemId: string; readonly units: number }
  | { readonly type: 'workReleased'; readonly workItemId: string };

/** How far `at` moves from the latest time so far: mostly forward (or not at all), sometimes back (a late event). */
const timeStepArbitrary: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 1_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -500, max: -1 }) },
);

/**
 * Events for one agent under `config`, starting after time `start`: all five types, presence ids from the catalog
 * (inactive ones included) plus unknown ones, work items from a small pool (so duplicates and releases of items
 * not held happen), units from 0 to {@link MAX_UNITS}, `at` mostly increasing but sometimes earlier than the
 * latest time (late), and about one event in fifteen hostile (see {@link HOSTILE_EVENTS}).
 */
export function eventsArbitrary(config: PresenceConfig, start = 0): fc.Arbitrary<PresenceEvent[]> {
  const known = [...STANDARD_IDS, ...(config.presences ?? []).map((p) => p.id)];
  const unknown = UNKNOWN_PRESENCE_IDS.filter((id) => !known.includes(id));
  const untimed: fc.Arbitrary<Untimed> = fc.oneof(
    { weight: 2, arbitrary: fc.constant({ type: 'signIn' } as const) },
    { weight: 1, arbitrary: fc.constant({ type: 'signOut' } as const) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...known, ...unknown).map((presenceId) => ({ type: 'setPresence', presenceId }) as const),
    },
    {
      weight: 4,
      arbitrary: fc
        .record({ workItemId: fc.constantFrom(...WORK_ITEM_IDS), units: unitsArbitrary })
        .map((fields) => ({ type: 'workAssigned', ...fields }) as const),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...WORK_ITEM_IDS, NEVER_ASSIGNED_ITEM)
        .map((workItemId) => ({ type: 'workReleased', workItemId }) as const),
    },
  );
  const step: fc.Arbitrary<{ readonly event: Untimed; readonly delta: number } | { readonly hostile: PresenceEvent }> = fc.oneof(
    { weight: 14, arbitrary: fc.record({ event: untimed, delta: timeStepArbitrary }) },
    { weight: 1, arbitrary: hostileEventArbitrary.map((hostile) => ({ hostile })) },
  );
  return fc.array(step, { maxLength: 40 }).map((steps) => {
    let latest = start;
    return steps.map((s): PresenceEvent => {
      if ('hostile' in s) return s.hostile;
      const at = Math.max(0, latest + s.delta);
      latest = Math.max(latest, at);
      return { ...s.event, at };
    });
  });
}

/** One agent's run: a valid config, the agent, the time its state starts at, and the events it receives. */
export interface Scenario {
  readonly config: PresenceConfig;
  readonly agentId: string;
  readonly start: number;
  readonly events: readonly PresenceEvent[];
}

/** A {@link Scenario}: the agent is one with its own profile, or one that falls back to the default profile. */
export const scenarioArbitrary: fc.Arbitrary<Scenario> = configArbitrary.chain((config) =>
  fc.integer({ min: 0, max: 1_000 }).chain((start) =>
    fc.record({
      config: fc.constant(config),
      agentId: fc.constantFrom(...Object.keys(config.agents ?? {}), AGENT_WITHOUT_PROFILE),
      start: fc.constant(start),
      events: eventsArbitrary(config, start),
    }),
  ),
);
