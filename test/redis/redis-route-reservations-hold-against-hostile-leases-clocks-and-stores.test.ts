/**
 * `route`'s reservations on Redis (`P{N}:roster:reserved`) against what an attacker or an operator brings: a lease
 * Redis cannot expire given to the store's `findAvailable`, a reservation left by a clock that went back, a release
 * that comes after its lease lapsed and another router took the agent, a pick drawn by a `random` that answers NaN,
 * a store whose `releaseReservation` throws or returns no promise, and a long `exclude` list on many shards. Routing
 * goes on, no reservation is held for longer than the longest lease, and a route's reads carry each agent excluded
 * once in all.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresence } from '../../src/redis/index';
import { RELEASE_RESERVED_SCRIPT, RESERVING_ROSTER_SCRIPT, runScript } from '../../src/redis/redisCommands';
import { createPresenceService, type PresenceStore, type ResolvedRosterQuery, type RosterLookup, type RouteResult } from '../../src/service/index';
import { REDIS_TARGETS, useRedisTargets } from '../helpers/redisTarget';
import { recordingClient } from '../helpers/recordingClient';

const redis = useRedisTargets();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const lookup: RosterLookup = { accepts: () => true, onUnreadable: () => {} };
const query: ResolvedRosterQuery = { units: 50, bases: ['Available', 'Busy'], exclude: [], limit: 10, order: 'mostFree' };
let prefixes = 0;
const routedTo = (result: RouteResult) => (result.routed ? result.agentId : result.reason);

/** A process on one shard with agents a, b (most free first, ties by longest idle: a first), and its keys. */
async function processWithAgents(store?: (store: PresenceStore) => PresenceStore) {
  const adapters = createRedisPresence(redis.client, { keyPrefix: `route-hostile${++prefixes}:`, shards: 1 });
  const ports = store === undefined ? adapters.ports : { ...adapters.ports, store: store(adapters.ports.store) };
  const service = createPresenceService({ machine, ...ports, onError: () => {} });
  for (const [i, id] of ['a', 'b'].entries()) await service.dispatch(id, { type: 'signIn', at: 1_000 * (i + 1) });
  const reserved = `${adapters.store.keysOf('a').roster}:reserved`;
  return { store: adapters.store, service, reserved };
}
/** Redis's clock, ms. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = (await redis.client.sendCommand(['TIME'])) as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

describe.each(REDIS_TARGETS)('route reservations against hostile leases, clocks and stores (%s)', (kind) => {
  redis.use(kind);

  it.each([1.5, Infinity, 1e308, Number.NaN, 0, -1, 60_001, '500'])(
    'the store refuses the lease %s with a TypeError naming it, and writes no reservation',
    async (leaseMs) => {
      const { store, service, reserved } = await processWithAgents();
      const error = await store.findAvailable!(query, lookup, { leaseMs: leaseMs as number }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain('reserve.leaseMs must be a whole number of ms from 1 to 60000');
      // Before, Redis took the reservation and then refused its expiry: an agent held for good, in a key with no TTL.
      expect(await redis.client.sendCommand(['EXISTS', reserved])).toBe(0);
      await service.close();
    },
  );

  it('the reserving script itself refuses a lease it could not expire, before it writes', async () => {
    const { store, service, reserved } = await processWithAgents();
    const { roster, rosterBuckets, record } = store.keysOf('a');
    const prefix = record.slice(0, -'a'.length);
    for (const lease of ['1.5', 'inf', 'nan', '1e308', '0']) {
      const args = [lease, '0', 'f', '50', '8', '10', prefix, '', '2', 'Available', 'Busy', '-1', 'all'];
      await expect(runScript(redis.client, RESERVING_ROSTER_SCRIPT, [roster, rosterBuckets, reserved], args)).rejects.toThrow(
        'the lease must be a whole number of ms from 1 to 60000',
      );
    }
    expect(await redis.client.sendCommand(['EXISTS', reserved])).toBe(0);
    await service.close();
  });

  it('a reservation held beyond the longest lease (Redis’s clock went back an hour) is dropped as lapsed', async () => {
    const { service, reserved } = await processWithAgents();
    // As a router that died left it an hour before the clock was set back: until an hour and a lease from now.
    const until = (await redisNow()) + 3_600_000 + 500;
    await redis.client.sendCommand(['ZADD', reserved, String(until), 'a']);
    await redis.client.sendCommand(['PEXPIRE', reserved, String(3_600_000 + 500)]);
    // Before, `a` (the best) was tried last for the hour; now it is taken as lapsed and is the route's pick.
    expect(routedTo(await service.route({ workItemId: 'w1', units: 50 }, { spread: 1 }))).toBe('a');
    // What is left of `a` is at most the route's own lease (its release may still be on its way).
    const left = await redis.client.sendCommand(['ZSCORE', reserved, 'a']);
    expect(left === null || Number(left) <= (await redisNow()) + 60_000).toBe(true);
    // A garbage score written by hand goes the same way.
    await redis.client.sendCommand(['ZADD', reserved, '+inf', 'b']);
    expect(routedTo(await service.route({ workItemId: 'w2', units: 50 }, { spread: 1 }))).toBe('b');
    await service.close();
  });

  it('a release that comes after its lease lapsed and another router reserved the agent leaves theirs', async () => {
    const { store, service, reserved } = await processWithAgents();
    const late = (await store.findAvailable!(query, lookup, { leaseMs: 1 })).find((m) => m.agentId === 'a')!.reservation!;
    // The lease lapsed (set back here rather than waited for), and another router reserves `a`.
    await redis.client.sendCommand(['ZADD', reserved, 'XX', '0', 'a']);
    const other = (await store.findAvailable!(query, lookup, { leaseMs: 60_000 })).find((m) => m.agentId === 'a')!.reservation!;
    expect(other).not.toBe(late);
    await store.releaseReservation!('a', late);
    expect(String(await redis.client.sendCommand(['ZSCORE', reserved, 'a']))).toBe(other);
    await store.releaseReservation!('a', other);
    expect(await redis.client.sendCommand(['EXISTS', reserved])).toBe(0);
    await service.close();
  });

  it('a `random` that answers NaN or no number picks the best reserved agent instead of failing the route', async () => {
    const { service } = await processWithAgents();
    // Before, the pick among the reserved agents was `reserved[NaN]`: the route threw reading its agent id.
    expect(routedTo(await service.route({ workItemId: 'w1', units: 50 }, { random: () => Number.NaN }))).toBe('a');
    expect(routedTo(await service.route({ workItemId: 'w2', units: 50 }, { random: () => undefined as unknown as number }))).toBe('b');
    await service.close();
  });

  it('a route sends each agent excluded to its own shard’s reserving read only, and reserves none of them', async () => {
    const { client, sent } = recordingClient(redis.client);
    const adapters = createRedisPresence(client, { keyPrefix: `route-hostile${++prefixes}:`, shards: 4 });
    const service = createPresenceService({ machine, ...adapters.ports, onError: () => {} });
    const agents = Array.from({ length: 16 }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
    for (const [i, id] of agents.entries()) await service.dispatch(id, { type: 'signIn', at: 1_000 + i });
    // The 8 longest idle excluded, and 200 long ids of agents no longer here.
    const exclude = [...agents.slice(0, 8), ...Array.from({ length: 200 }, (_, i) => `gone-${i}-${'x'.repeat(200)}`)];
    sent.length = 0;
    const result = await service.route({ workItemId: 'w1', units: 50 }, { exclude });
    expect(result.routed && !exclude.includes(result.agentId)).toBe(true);
    const reads = sent.filter((args) => args[0] === 'EVALSHA' && args[1] === RESERVING_ROSTER_SCRIPT.sha);
    expect(reads).toHaveLength(4);
    const carried = reads.map((args) => {
      // EVALSHA sha 3 keys… lease count ids…
      const count = Number(args[7]);
      const ids = args.slice(8, 8 + count);
      const shard = Number(/\{(\d+)\}:roster$/.exec(args[3]!)![1]);
      for (const id of ids) expect(adapters.store.keysOf(id).shard, id).toBe(shard);
      return ids;
    });
    // Before, every shard's read carried all 208 (about 170 kB each).
    expect(carried.flat().sort()).toEqual([...exclude].sort());
    const released = sent.filter((args) => args[1] === RELEASE_RESERVED_SCRIPT.sha).map((args) => args.at(-2));
    for (const id of released) expect(exclude).not.toContain(id);
    await service.close();
  });

  it.each([
    [
      'throws at once',
      () => {
        throw new Error('release refused');
      },
    ],
    ['returns no promise', () => undefined],
  ])('a store whose releaseReservation %s: the route still returns the agent it gave the item to', async (_, release) => {
    const { service } = await processWithAgents((store) => ({
      ...store,
      releaseReservation: release as unknown as NonNullable<PresenceStore['releaseReservation']>,
    }));
    // Before, the release after the dispatch threw in its `finally`: the item was given, the caller told it failed.
    expect(routedTo(await service.route({ workItemId: 'w1', units: 50 }, { spread: 1 }))).toBe('a');
    expect((await service.get('a')).state.work.map((w) => w.workItemId)).toEqual(['w1']);
    await service.close();
  });
});
