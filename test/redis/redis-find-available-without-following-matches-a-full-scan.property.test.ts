import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_STATUSES, createPresenceMachine, type AgentProfile, type BaseStatus, type PresenceConfig, type PresenceEvent } from '../../src/index';
import { createPresenceService, ROSTER_ORDERS, type PresenceRecord, type RosterQuery } from '../../src/service/index';
import { rosterScan, rowsOf } from '../helpers/rosterScan';
import { createRedisPresence } from '../../src/redis/index';
import { propertyRuns, propertyTimeout } from '../helpers/propertyRuns';
import { useRedisServer } from '../helpers/redisServer';

// A process that routes and follows nothing: its findAvailable is answered from the roster the save script keeps in
// Redis. Whatever other processes saved (two writers here, each with its own record cache, over three shards), it
// must give what a full scan of the stored records gives: each agent checked with the machine's canTake, then
// ranked by the documented order (each of the four, with the documented defaults for what the query leaves out). The router asks once before the writers start, so a roster it loaded then (and
// never heard about since) would be stale.

const redis = useRedisServer();

const CUSTOM = [
  { id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' as const },
  { id: 'away-lunch', name: 'Away – Lunch', base: 'Away' as const },
];
const PRESENCE_IDS = ['available', 'busy', 'busy-dnd', 'away', 'offline', ...CUSTOM.map((p) => p.id)];
const PROFILES = ['chat', 'case'];

const capacityArbitrary = fc.constantFrom(100, 1e9, 1, 3, 1_000, 0.5, 1e12);

const idArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((n) => `agent-${n}`),
  fc.constantFrom('Zed', 'ána', 'a', 'B', 'x\ny', 'x{1}'),
);

const agentArbitrary = fc.record({
  id: idArbitrary,
  capacity: capacityArbitrary,
  maxWorkItems: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined, freq: 2 }),
  profiles: fc.constantFrom('default', 'own', 'none'),
  /** Items as shares of the capacity, each maybe in a capacity profile. */
  items: fc.array(fc.tuple(fc.constantFrom(1, 0.7, 0.2, 0.1, 1 / 3, 0.5, 1e-10), fc.option(fc.constantFrom(...PROFILES), { nil: undefined, freq: 3 })), {
    maxLength: 4,
  }),
  /** Released again afterwards (the first item), or not. */
  release: fc.boolean(),
  presence: fc.option(fc.constantFrom(...PRESENCE_IDS), { nil: undefined, freq: 3 }),
  signedIn: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  at: fc.integer({ min: 0, max: 3 }),
  /** Heartbeats after (quiet saves: the roster must stay as it is). */
  heartbeats: fc.integer({ min: 0, max: 2 }),
});

const queryArbitrary = fc.record(
  {
    units: fc.oneof(fc.constantFrom(0, 1, 10, 30, 100, 1e9, 0.5, 99.99999999), fc.double({ min: 0, max: 200, noNaN: true })),
    profile: fc.constantFrom(...PROFILES, 'unknown'),
    bases: fc.oneof(fc.constant<BaseStatus[]>(['Available', 'Busy']), fc.subarray([...BASE_STATUSES] as BaseStatus[], { minLength: 1 })),
    presenceIds: fc.subarray(PRESENCE_IDS, { minLength: 1 }),
    exclude: fc.array(idArbitrary, { maxLength: 6 }),
    limit: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(1_000)),
    order: fc.constantFrom(...ROSTER_ORDERS),
    after: fc.oneof(idArbitrary, fc.constantFrom('agent-', 'zz')),
  },
  { requiredKeys: [] },
);

const rosterArbitrary = fc.record({
  defaultCapacity: capacityArbitrary,
  agents: fc.uniqueArray(agentArbitrary, { selector: (a) => a.id, minLength: 1, maxLength: 20, size: 'medium' }),
  queries: fc.array(queryArbitrary, { minLength: 1, maxLength: 12, size: 'medium' }),
  /** The agents dispatched again (a second round of events), so that roster entries move. */
  again: fc.array(fc.nat(), { maxLength: 6 }),
});

type AgentSpec = typeof agentArbitrary extends fc.Arbitrary<infer A> ? A : never;
type RosterSpec = typeof rosterArbitrary extends fc.Arbitrary<infer R> ? R : never;

function eventsOf(agent: AgentSpec, start: number): PresenceEvent[] {
  const at = start + agent.at;
  const events: PresenceEvent[] = agent.signedIn ? [{ type: 'signIn', sessionId: 's1', at }] : [];
  agent.items.forEach(([share, profile], i) => {
    const units = agent.capacity * share;
    events.push({ type: 'workAssigned', workItemId: `w${i}`, units, ...(profile === undefined ? {} : { profile }), at: at + 1 + i });
  });
  if (agent.release && agent.items.length > 0) events.push({ type: 'workReleased', workItemId: 'w0', at: at + 6 });
  if (agent.presence !== undefined) events.push({ type: 'setPresence', presenceId: agent.presence, at: at + 7 });
  for (let i = 0; i < agent.heartbeats; i++) events.push({ type: 'heartbeat', sessionId: 's1', at: at + 8 + i });
  return events;
}

function machineFor(roster: RosterSpec) {
  const capacityProfiles = { chat: { maxItems: 2 }, case: { maxItems: 2 } };
  const agents: Record<string, AgentProfile> = {};
  for (const agent of roster.agents) {
    agents[agent.id] = {
      capacity: agent.capacity,
      ...(agent.maxWorkItems === undefined ? {} : { maxWorkItems: agent.maxWorkItems }),
      ...(agent.profiles === 'own' ? { capacityProfiles: { chat: { maxItems: 1, blocking: true } } } : {}),
      ...(agent.profiles === 'none' ? { capacityProfiles: {} } : {}),
    };
  }
  const config: PresenceConfig = { presences: CUSTOM, defaultProfile: { capacity: roster.defaultCapacity, capacityProfiles }, agents };
  return createPresenceMachine(config);
}

let prefixes = 0;

describe('findAvailable from the roster kept in Redis', () => {
  it(
    'equals a full scan of the stored records, in a process that follows nothing, whoever saved them',
    async () => {
      await fc.assert(
        fc.asyncProperty(rosterArbitrary, async (roster) => {
          const machine = machineFor(roster);
          const options = { keyPrefix: `scan${++prefixes}:`, shards: 3 };
          const processOf = () => {
            const adapters = createRedisPresence(redis.client, options);
            return { adapters, service: createPresenceService({ machine, ...adapters.ports, onError: () => {} }) };
          };
          const [a, b, router] = [processOf(), processOf(), processOf()];
          // Asked before anything is stored: an index loaded now and not followed would stay empty.
          expect(await router.service.findAvailable({})).toEqual([]);
          for (const [i, agent] of roster.agents.entries()) {
            const writer = i % 2 === 0 ? a : b;
            for (const event of eventsOf(agent, 1_000 + 10 * (i % 4))) await writer.service.dispatch(agent.id, event);
          }
          for (const [round, pick] of roster.again.entries()) {
            const agent = roster.agents[pick % roster.agents.length]!;
            // The other writer this time: its cached record (if any) is stale, so its save conflicts first.
            const writer = pick % 2 === 0 ? b : a;
            for (const event of eventsOf({ ...agent, release: !agent.release }, 5_000 + 100 * round)) await writer.service.dispatch(agent.id, event);
          }
          const records: PresenceRecord[] = [];
          for await (const stored of router.adapters.store.list()) records.push(stored.record);
          for (const [n, q] of roster.queries.entries()) {
            // Every other rotation starts after an agent of the roster (the one routed to last, as route leaves it).
            const query: RosterQuery = q.after !== undefined && n % 2 === 0 ? { ...q, after: roster.agents[n % roster.agents.length]!.id } : q;
            expect(rowsOf(await router.service.findAvailable(query)), JSON.stringify(query)).toEqual(rosterScan(machine, records, query));
          }
          await Promise.all([a, b, router].map((p) => p.service.close()));
        }),
        propertyRuns({ ci: 40, deep: 400, mutation: 10 }),
      );
    },
    propertyTimeout(240_000),
  );
});
