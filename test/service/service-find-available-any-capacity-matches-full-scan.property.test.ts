import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_STATUSES, createPresenceMachine, type AgentProfile, type BaseStatus, type PresenceConfig, type PresenceEvent } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, ROSTER_ORDERS, type PresenceRecord, type RosterQuery } from '../../src/service/index';
import { rosterScan, rowsOf } from '../helpers/rosterScan';
import { recordingScheduler } from '../helpers/service';

// Rosters mixing capacities from 1 to 1e12, agents filled to near their capacity with fractional units, capacity
// profiles, and queries asking for units close to what agents have free: findAvailable must give what a full scan
// gives. The scan below is written apart from the index: each agent checked with the machine's canTake, then all
// sorted by the documented order.

const CUSTOM = [
  { id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' as const },
  { id: 'away-lunch', name: 'Away – Lunch', base: 'Away' as const },
];
const PRESENCE_IDS = ['available', 'busy', 'busy-dnd', 'away', 'offline', ...CUSTOM.map((p) => p.id)];
const PROFILES = ['chat', 'case'];

/** Numbers spread evenly from `min` to `max` (fc.double favours the tiny and the extreme ones). */
const spread = (min: number, max: number) => fc.integer({ min: 0, max: 2 ** 30 }).map((n) => min + ((max - min) * n) / 2 ** 30);

/** 1 to 1e12: round magnitudes, and any number in between, spread evenly over the magnitudes. */
const capacityArbitrary = fc.oneof(
  fc.constantFrom(100, 1e9, 1e12, 1, 3, 1_000, 1e6),
  spread(0, 12).map((exponent) => 10 ** exponent),
);

/**
 * What an agent holds: a target of free units (near the roster's level, so that agents of different capacities sit
 * next to each other; a few units; or a share of the capacity), split into items.
 */
const holdingArbitrary = fc.record({
  free: fc.oneof(
    { weight: 4, arbitrary: fc.oneof(spread(0, 2), spread(0, 0.02), spread(0, 2e-4)).map((aboveLevel) => ({ aboveLevel })) },
    { weight: 1, arbitrary: fc.constantFrom(0, 0.3, 2.5, 9.2, 9.5, 10) },
    { weight: 1, arbitrary: spread(0, 1).map((share) => ({ share })) },
  ),
  /** How the units held are split between items (shares of the whole), each item maybe in a capacity profile. */
  items: fc.array(
    fc.tuple(
      fc.constantFrom(1, 0.7, 0.2, 0.1, 1 / 3, 0.5),
      fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...PROFILES) }),
    ),
    { maxLength: 3 },
  ),
  /** A little over or under: units near the capacity, and past it. */
  nudge: fc.constantFrom(0, 0, 0, 1e-10, -1e-10, 1e-9, -1e-9, 2e-9),
});

const agentArbitrary = fc.record({
  id: fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((n) => `agent-${n}`),
    fc.constantFrom('Zed', 'ána', 'a', 'B'),
  ),
  capacity: capacityArbitrary,
  maxWorkItems: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined, freq: 2 }),
  /** Own capacity profiles, the default's, or none. */
  profiles: fc.constantFrom('default', 'own', 'none'),
  holding: holdingArbitrary,
  presence: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...PRESENCE_IDS) }),
  signedIn: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  at: fc.integer({ min: 0, max: 5 }),
});

/**
 * Units for a query: plain ones, any, or close to what one of the agents that can take work has free (resolved
 * once the roster is built, from [free units, capacity] of each).
 */
const unitsArbitrary = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 10, 100, 1e9).map((units) => () => units) },
  { weight: 1, arbitrary: spread(0, 12).map((exponent) => () => 10 ** exponent - 1) },
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.nat({ max: 3 }), fc.nat()),
        fc.oneof(spread(-3, 3), spread(0, 1), fc.constantFrom(-1, -0.5, 0, 0.5, 0.9, 1)),
        fc.constantFrom(0, 0, 1, -1),
      )
      .map(([pick, billionths, ulps]) => (frees: readonly (readonly [free: number, capacity: number])[]) => {
        if (frees.length === 0) return 0;
        const [free, capacity] = frees[pick % frees.length]!;
        // Within a few billionths of the agent's capacity of its free units (the capacity check's tolerance is one).
        let units = free + billionths * 1e-9 * Math.max(1, capacity);
        if (ulps !== 0) units += ulps * Number.EPSILON * Math.max(1, Math.abs(units));
        return Number.isFinite(units) && units > 0 ? units : 0;
      }),
  },
);

const queryArbitrary = fc.record({
  units: unitsArbitrary,
  profile: fc.option(fc.constantFrom(...PROFILES, 'unknown'), { nil: undefined, freq: 2 }),
  bases: fc.oneof(fc.constant<BaseStatus[]>(['Available', 'Busy']), fc.subarray([...BASE_STATUSES] as BaseStatus[], { minLength: 1 })),
  presenceIds: fc.option(fc.subarray(PRESENCE_IDS, { minLength: 1 }), { nil: undefined, freq: 3 }),
  limit: fc.integer({ min: 1, max: 12 }),
  order: fc.constantFrom('mostFree' as const, 'mostFree' as const, ...ROSTER_ORDERS),
});

const rosterArbitrary = fc.record({
  defaultCapacity: capacityArbitrary,
  chat: fc.record({ maxItems: fc.integer({ min: 1, max: 3 }), blocking: fc.boolean() }),
  /** Free units many agents have, give or take a couple. */
  level: fc.constantFrom(9, 0, 0.5, 30, 1_000),
  agents: fc.uniqueArray(agentArbitrary, { selector: (a) => a.id, minLength: 1, maxLength: 24, size: 'medium' }),
  queries: fc.array(queryArbitrary, { minLength: 1, maxLength: 30, size: 'medium' }),
  /** Capacities scaled by this afterwards (reconfigure), or left. */
  rescale: fc.option(fc.constantFrom(1e-3, 0.5, 3, 1e6), { nil: undefined }),
});

type AgentSpec = typeof agentArbitrary extends fc.Arbitrary<infer A> ? A : never;
type RosterSpec = typeof rosterArbitrary extends fc.Arbitrary<infer R> ? R : never;

/** The events that bring an agent to its holding: signed in, items assigned, the presence picked. */
function eventsOf(agent: AgentSpec, level: number, start: number): PresenceEvent[] {
  const { capacity, holding } = agent;
  const at = start + agent.at;
  const events: PresenceEvent[] = agent.signedIn ? [{ type: 'signIn', at }] : [];
  const free = typeof holding.free === 'number' ? holding.free : 'share' in holding.free ? holding.free.share * capacity : level + holding.free.aboveLevel;
  const held = Math.max(0, capacity - free) * (1 + holding.nudge);
  const shares = holding.items.reduce((sum, [share]) => sum + share, 0);
  holding.items.forEach(([share, profile], i) => {
    const units = (held * share) / shares;
    events.push({ type: 'workAssigned', workItemId: `w${i}`, units, ...(profile === undefined ? {} : { profile }), at: at + 1 + i });
  });
  if (agent.presence !== undefined) events.push({ type: 'setPresence', presenceId: agent.presence, at: at + 5 });
  return events;
}

function machineFor(roster: RosterSpec, scale = 1) {
  const capacityProfiles = { chat: roster.chat, case: { maxItems: 2 } };
  const agents: Record<string, AgentProfile> = {};
  for (const agent of roster.agents) {
    agents[agent.id] = {
      capacity: agent.capacity * scale,
      ...(agent.maxWorkItems === undefined ? {} : { maxWorkItems: agent.maxWorkItems }),
      ...(agent.profiles === 'own' ? { capacityProfiles: { chat: { maxItems: 1, blocking: true } } } : {}),
      ...(agent.profiles === 'none' ? { capacityProfiles: {} } : {}),
    };
  }
  const config: PresenceConfig = { presences: CUSTOM, defaultProfile: { capacity: roster.defaultCapacity * scale, capacityProfiles }, agents };
  return createPresenceMachine(config);
}

describe('findAvailable at any capacity', () => {
  it('equals a full scan on rosters mixing capacities from 1 to 1e12, fractional units near capacity and capacity profiles', async () => {
    await fc.assert(
      fc.asyncProperty(rosterArbitrary, async (roster) => {
        let machine = machineFor(roster);
        const store = createMemoryPresenceStore();
        const service = createPresenceService({ machine, store, scheduler: recordingScheduler() });
        await service.findAvailable({ units: 0, bases: ['Available'], limit: 1, order: 'mostFree' }); // index kept up as agents change
        for (const [i, agent] of roster.agents.entries()) {
          for (const event of eventsOf(agent, roster.level, 1_000 + 10 * (i % 4))) await service.dispatch(agent.id, event);
        }
        const records: PresenceRecord[] = [];
        for await (const stored of store.list()) records.push(stored.record);
        const states = records.map((r) => r.state);

        const check = async (queried: typeof service, label: string) => {
          const frees = states
            .filter((s) => machine.canTake(s, { units: 0 }))
            .map((s): [free: number, capacity: number] => {
              const capacity = machine.profileOf(s.agentId).capacity;
              return [capacity - s.work.reduce((sum, item) => sum + item.units, 0), capacity];
            })
            .sort(([, a], [, b]) => b - a); // largest capacity first: picks lean to the agents tolerating the most
          for (const q of roster.queries) {
            const query: RosterQuery = {
              units: q.units(frees),
              bases: q.bases,
              limit: q.limit,
              order: q.order,
              ...(q.profile === undefined ? {} : { profile: q.profile }),
              ...(q.presenceIds === undefined ? {} : { presenceIds: q.presenceIds }),
            };
            expect(rowsOf(await queried.findAvailable(query)), `${label}: ${JSON.stringify(query)}`).toEqual(rosterScan(machine, records, query));
          }
        };
        await check(service, 'kept up');
        await check(createPresenceService({ machine, store, scheduler: recordingScheduler() }), 'loaded');
        if (roster.rescale !== undefined) {
          machine = machineFor(roster, roster.rescale);
          service.reconfigure(machine);
          await check(service, 'reconfigured');
        }
      }),
      { numRuns: 500 },
    );
  }, 120_000);
});
