import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_STATUSES, createPresenceMachine, type BaseStatus, type PresenceConfig, type PresenceEvent } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, ROSTER_ORDERS, type PresenceRecord } from '../../src/service/index';
import { assign, pick, release, signIn, signOut } from '../helpers/run';
import { rosterScan, rowsOf } from '../helpers/rosterScan';
import { recordingScheduler } from '../helpers/service';

const CUSTOM = [
  { id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' as const },
  { id: 'away-lunch', name: 'Away – Lunch', base: 'Away' as const },
  { id: 'avail-phone', name: 'Available – Phone', base: 'Available' as const },
];
const PRESENCE_IDS = ['available', 'busy', 'busy-dnd', 'away', 'offline', ...CUSTOM.map((p) => p.id)];
const ITEMS = ['c1', 'c2', 'c3', 'c4'];

const eventArbitrary: fc.Arbitrary<(at: number) => PresenceEvent> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(signIn) },
  { weight: 1, arbitrary: fc.constant(signOut) },
  { weight: 2, arbitrary: fc.constantFrom(...PRESENCE_IDS).map((id) => (at: number) => pick(id, at)) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...ITEMS), fc.constantFrom(0, 5, 10, 25, 40, 60, 7.5)).map(
      ([id, units]) =>
        (at: number) =>
          assign(id, units, at),
    ),
  },
  { weight: 3, arbitrary: fc.constantFrom(...ITEMS).map((id) => (at: number) => release(id, at)) },
);

const profileArbitrary = fc.record(
  { capacity: fc.constantFrom(0, 30, 60, 100, 120, 50.5), maxWorkItems: fc.integer({ min: 1, max: 4 }) },
  { requiredKeys: [] },
);

const rosterArbitrary = fc.record({
  agents: fc.array(
    fc.record({
      id: fc.oneof(
        fc.integer({ min: 0, max: 60 }).map((n) => `agent-${n}`),
        fc.constantFrom('Zed', 'ána', 'a', 'B'),
      ),
      profile: profileArbitrary,
      events: fc.array(fc.tuple(eventArbitrary, fc.integer({ min: 0, max: 3 })), { maxLength: 12 }),
    }),
    { maxLength: 30 },
  ),
  /** A second config to switch to halfway, or none. */
  reconfigureTo: fc.option(fc.record({ defaultCapacity: fc.constantFrom(20, 80, 200) }), { nil: undefined }),
  queries: fc.array(
    fc.record(
      {
        units: fc.constantFrom(0, 5, 10, 20, 40, 60, 100),
        bases: fc.subarray([...BASE_STATUSES] as BaseStatus[], { minLength: 1 }),
        presenceIds: fc.subarray(PRESENCE_IDS, { minLength: 1 }),
        exclude: fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 60 }).map((n) => `agent-${n}`),
            fc.constantFrom('Zed', 'a'),
          ),
          { maxLength: 8 },
        ),
        limit: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(1_000)),
        order: fc.constantFrom(...ROSTER_ORDERS),
        after: fc.oneof(
          fc.integer({ min: 0, max: 60 }).map((n) => `agent-${n}`),
          fc.constantFrom('Zed', 'a', 'agent-', 'zz'),
        ),
      },
      { requiredKeys: [] },
    ),
    { minLength: 1, maxLength: 6 },
  ),
});

describe('findAvailable', () => {
  it('agrees with a full scan of the roster on random rosters, before and after a reconfigure, and after a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(rosterArbitrary, async ({ agents, reconfigureTo, queries }) => {
        const config: PresenceConfig = {
          presences: CUSTOM,
          agents: Object.fromEntries(agents.map((a) => [a.id, a.profile])),
        };
        let machine = createPresenceMachine(config);
        const store = createMemoryPresenceStore();
        const service = createPresenceService({ machine, store, scheduler: recordingScheduler() });
        await service.findAvailable({}); // index built (empty) first
        let at = 1_000;
        for (const [round, agent] of agents.entries()) {
          for (const [event, step] of agent.events) await service.dispatch(agent.id, event((at += step)));
          if (reconfigureTo !== undefined && round === Math.floor(agents.length / 2)) {
            machine = createPresenceMachine({ ...config, defaultProfile: { capacity: reconfigureTo.defaultCapacity } });
            service.reconfigure(machine);
          }
        }
        const records: PresenceRecord[] = [];
        for await (const stored of store.list()) records.push(stored.record);
        const fresh = createPresenceService({ machine, store, scheduler: recordingScheduler() });
        for (const [n, q] of queries.entries()) {
          // Every other rotation starts after an agent of the roster (the one routed to last, as route leaves it).
          const query = q.after !== undefined && n % 2 === 0 && agents.length > 0 ? { ...q, after: agents[n % agents.length]!.id } : q;
          const expected = rosterScan(machine, records, query);
          expect(rowsOf(await service.findAvailable(query)), JSON.stringify(query)).toEqual(expected);
          expect(rowsOf(await fresh.findAvailable(query)), JSON.stringify(query)).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
