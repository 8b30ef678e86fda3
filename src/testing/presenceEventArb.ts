import fc from 'fast-check';
import type { PresenceConfig, PresenceEvent } from '../core/index';
import { modelAgentRules } from './modelAgentRules';
import { TRICKY_IDS } from './TRICKY_IDS';

/**
 * Options of {@link presenceEventArb}.
 *
 * @category Arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { presenceEventArb, type PresenceEventArbOptions } from 'agent-presence/testing';
 * const options: PresenceEventArbOptions = { workItemIds: ['chat-1', 'chat-2'], at: fc.integer({ min: 0, max: 60_000 }) };
 * const events = presenceEventArb({}, 'agent-7', options);
 * ```
 */
export interface PresenceEventArbOptions {
  /**
   * Work item ids to draw from. Default: a small pool (with two tricky ids), so that duplicate assignments and
   * releases of items not held happen often.
   */
  readonly workItemIds?: readonly string[] | undefined;
  /** The events' times. Default: 0 to 1,000,000. */
  readonly at?: fc.Arbitrary<number> | undefined;
}

/** An event without `at` and `eventId`, which every generator gets added. */
type Untimed<E> = E extends PresenceEvent ? Omit<E, 'at' | 'eventId'> : never;

/** What the generators draw ids from. */
interface Pools {
  /** Presences the agent may pick. */
  readonly pickable: readonly string[];
  /** Presences of the catalog the agent may not pick: inactive, system presences, or not in the profile. */
  readonly refused: readonly string[];
  /** Presence ids the catalog does not have. */
  readonly unknown: readonly string[];
  readonly workItemIds: readonly string[];
  /** The agent's capacity profiles and a few it does not have. */
  readonly profiles: readonly string[];
  readonly sessionIds: readonly string[];
}

/** A presence id: mostly one the agent may pick, sometimes one of the catalog it may not pick, or an unknown one. */
const presenceIdArb = (pools: Pools) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...pools.pickable) },
    ...(pools.refused.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...pools.refused) }] : []),
    { weight: 1, arbitrary: fc.constantFrom(...pools.unknown) },
  );

/** Units of one work item: mostly whole numbers from 0 to 60, sometimes exactly 0 or -0, sometimes a fraction. */
const unitsArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 60, noNaN: true }) },
);

/** A value for an optional field, or undefined (mostly) for leaving the field out. */
const maybe = <T>(arb: fc.Arbitrary<T>, weight = 1): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb });

/** `event` with `fields` added, those undefined left out (an optional field is absent, not undefined). */
function withFields<E extends { readonly type: string }>(event: E, fields: Readonly<Record<string, unknown>>): E {
  const out: Record<string, unknown> = { ...(event as Record<string, unknown>) };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as E;
}

/** A session event: the default session (no `sessionId`) or one of a few others. */
const sessionEvent =
  <T extends 'signIn' | 'signOut' | 'heartbeat' | 'disconnected'>(type: T) =>
  (pools: Pools) =>
    maybe(fc.constantFrom(...pools.sessionIds)).map((sessionId) => withFields({ type }, { sessionId }));

/** Wrap-up of one release, in milliseconds: 0 (none), short ones that end within a sequence, fractions. */
const wrapUpMsArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 }), fc.double({ min: 0, max: 3_000, noNaN: true }));

/**
 * One generator per event type, with its weight. To generate a new event type: add its entry here, its rule to
 * `modelEventRules` and its seeds to `SEEDS_BY_TYPE` in hostileInputArb.ts (TypeScript asks for each once the
 * type is in `PresenceEvent`).
 */
const EVENT_GENERATORS: {
  readonly [T in PresenceEvent['type']]: { weight: number; arb: (pools: Pools) => fc.Arbitrary<Untimed<Extract<PresenceEvent, { type: T }>>> };
} = {
  signIn: { weight: 4, arb: sessionEvent('signIn') },
  signOut: { weight: 1, arb: sessionEvent('signOut') },
  heartbeat: { weight: 2, arb: sessionEvent('heartbeat') },
  disconnected: { weight: 1, arb: sessionEvent('disconnected') },
  activity: { weight: 1, arb: () => fc.constant({ type: 'activity' }) },
  tick: { weight: 1, arb: () => fc.constant({ type: 'tick' }) },
  setPresence: {
    weight: 5,
    arb: (pools) =>
      fc
        .tuple(presenceIdArb(pools), maybe(fc.constantFrom('now' as const, 'afterWork' as const), 2))
        .map(([presenceId, when]) => withFields({ type: 'setPresence' as const, presenceId }, { when })),
  },
  resetPresence: { weight: 1, arb: () => fc.constant({ type: 'resetPresence' }) },
  workAssigned: {
    weight: 4,
    arb: (pools) =>
      fc
        .record({
          workItemId: fc.constantFrom(...pools.workItemIds),
          units: unitsArb,
          profile: maybe(fc.constantFrom(...pools.profiles), 2),
          noUnits: fc.boolean(),
        })
        .map(({ workItemId, units, profile, noUnits }) =>
          profile === undefined
            ? { type: 'workAssigned' as const, workItemId, units }
            : withFields({ type: 'workAssigned' as const, workItemId, profile }, { units: noUnits ? undefined : units }),
        ),
  },
  workReleased: {
    weight: 3,
    arb: (pools) =>
      fc
        .tuple(fc.constantFrom(...pools.workItemIds, 'call-never-assigned'), maybe(wrapUpMsArb))
        .map(([workItemId, wrapUpMs]) => withFields({ type: 'workReleased' as const, workItemId }, { wrapUpMs })),
  },
  wrapUpEnded: { weight: 1, arb: (pools) => fc.constantFrom(...pools.workItemIds).map((workItemId) => ({ type: 'wrapUpEnded' as const, workItemId })) },
  workMissed: {
    weight: 1,
    arb: (pools) => maybe(fc.constantFrom(...pools.workItemIds)).map((workItemId) => withFields({ type: 'workMissed' as const }, { workItemId })),
  },
  workRejected: {
    weight: 1,
    arb: (pools) => maybe(fc.constantFrom(...pools.workItemIds)).map((workItemId) => withFields({ type: 'workRejected' as const }, { workItemId })),
  },
};

const DEFAULT_WORK_ITEM_IDS = ['chat-1', 'chat-2', 'case-1', 'case-2', '__proto__', 'hasOwnProperty'];

/**
 * Generates single events for one agent under a config: every event type, presence ids mostly among those the
 * agent may pick and sometimes inactive, not allowed, unknown or tricky ones, work item ids from a small pool,
 * units from 0 (and -0) to 60 with fractions, and now and then an `eventId`. Each event is well formed; whether
 * the machine accepts it depends on the state it meets (not signed in, duplicate item, …).
 *
 * @param config - the config the agent is under (presences are read from it)
 * @param agentId - the agent, whose profile decides which presences it may pick
 * @param options - work item ids and times to draw from
 * @returns an arbitrary of events
 * @category Arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { createPresenceMachine } from 'agent-presence';
 * import { presenceEventArb } from 'agent-presence/testing';
 * const machine = createPresenceMachine({});
 * fc.assert(
 *   fc.property(fc.array(presenceEventArb({}, 'agent-7')), (events) => {
 *     let state = machine.initialState('agent-7');
 *     for (const event of events) state = machine.transition(state, event).state;
 *     return state.agentId === 'agent-7';
 *   }),
 *   { numRuns: 50 },
 * );
 * ```
 */
export function presenceEventArb(config: PresenceConfig, agentId: string, options: PresenceEventArbOptions = {}): fc.Arbitrary<PresenceEvent> {
  const agent = modelAgentRules(config, agentId);
  const known = agent.catalog.map((p) => p.id);
  const pickable = known.filter((id) => agent.mayPick(id));
  const unknown = ['no-such-presence', 'AVAILABLE', 'away ', ...TRICKY_IDS].filter((id) => !known.includes(id));
  const pools: Pools = {
    pickable,
    refused: known.filter((id) => !agent.mayPick(id)),
    unknown,
    workItemIds: options.workItemIds ?? DEFAULT_WORK_ITEM_IDS,
    profiles: [...agent.capacityProfiles.keys(), 'no-such-profile', '__proto__'],
    sessionIds: ['default', 'phone', 'tab-2'],
  };
  const untimed = fc.oneof(
    ...Object.values(EVENT_GENERATORS).map(({ weight, arb }) => ({ weight, arbitrary: arb(pools) as fc.Arbitrary<Untimed<PresenceEvent>> })),
  );
  const eventId = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 999 }).map((n) => `evt-${n}`) });
  return fc
    .tuple(untimed, options.at ?? fc.integer({ min: 0, max: 1_000_000 }), eventId)
    .map(([event, at, id]) => (id === undefined ? { ...event, at } : { ...event, at, eventId: id }) as PresenceEvent);
}
