/**
 * The adapters on a real 3-master Redis Cluster (redis-server in cluster mode, joined with `redis-cli --cluster
 * create`; each node with an append-only file fsynced at every write), through node-redis `createCluster` and
 * `clusterCommandClient`:
 *
 * - every key of a shard is in one slot, and the shards (16) land on all three masters, each key on the master
 *   CLUSTER NODES names for its slot;
 * - a cluster client handed over bare is refused by name, and the adapter is one per cluster;
 * - one XREAD over every shard's stream (several slots, three masters) is split per slot; a blocking one wakes for a
 *   save on any master;
 * - a shard's slot migrated mid-run (MIGRATING/IMPORTING, MIGRATE, SETSLOT NODE) while writers and a follower on
 *   other connections run: their commands meet MOVED (counted by the source's errorstats; ASK and TRYAGAIN too when
 *   they land while the keys move), and
 *   afterwards every event is acknowledged once, in the stream once, in version order, and the follower converged
 *   without reporting a loss;
 * - a master killed and restarted on its append-only file mid-run: dispatch rejects with RedisUnavailableError while
 *   it is away, the writers send again, and nothing acknowledged is lost or applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import {
  clusterCommandClient,
  createRedisChangeStream,
  createRedisPresence,
  createRedisPresenceStore,
  RedisDataLossError,
  RedisUnavailableError,
  type RedisChangeEntry,
  type RedisCommandClient,
  type RedisPresenceOptions,
} from '../../src/redis/index';
import { clusterKeySlot, routingKey } from '../../src/redis/clusterCommandClient';
import { connectClusterClient, startRedisCluster, type RedisCluster } from '../helpers/redisCluster';
import { seededRandom } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const ALL_BASES = ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'] as const;

let cluster: RedisCluster;
const connections: Awaited<ReturnType<typeof connectClusterClient>>[] = [];
const connect = async () => {
  const client = await connectClusterClient(cluster.urls);
  connections.push(client);
  return client;
};

beforeAll(async () => {
  cluster = await startRedisCluster({ persistent: true });
});
afterAll(async () => {
  for (const client of connections) await client.close().catch(() => {});
  await cluster?.stop();
});

/** Which node (index) holds each slot, by CLUSTER NODES. */
async function slotOwners(): Promise<(slot: number) => number> {
  const lines = String(await cluster.nodeCommand(0, ['CLUSTER', 'NODES']))
    .trim()
    .split('\n');
  const ranges: { low: number; high: number; node: number }[] = [];
  for (const fields of lines.map((line) => line.split(' '))) {
    const port = Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]);
    const node = cluster.nodes.findIndex((n) => n.port === port);
    for (const range of fields.slice(8)) {
      if (range.startsWith('[')) continue;
      const [low, high = low] = range.split('-').map(Number);
      ranges.push({ low: low!, high: high!, node });
    }
  }
  return (slot) => ranges.find((r) => slot >= r.low && slot <= r.high)?.node ?? -1;
}

const keySlot = async (key: string) => Number(await cluster.nodeCommand(0, ['CLUSTER', 'KEYSLOT', key]));

/** Events on `agents` agents, each agent's in time order. */
function eventsFor(seed: number, agents: number, count: number) {
  const random = seededRandom(seed);
  const clock = new Map<string, number>();
  const events: { agentId: string; event: PresenceEvent & { eventId: string } }[] = [];
  for (let i = 0; i < count; i++) {
    const agentId = `agent-${Math.floor(random() * agents)}`;
    const at = (clock.get(agentId) ?? 1_000) + 1 + Math.floor(random() * 100);
    clock.set(agentId, at);
    const roll = random();
    const eventId = `s${seed}-e${i}`;
    events.push({
      agentId,
      event:
        roll < 0.2
          ? { type: 'signIn', at, eventId }
          : roll < 0.4
            ? { type: 'setPresence', presenceId: roll < 0.3 ? 'away' : 'available', at, eventId }
            : roll < 0.7
              ? { type: 'workAssigned', workItemId: `${agentId}-c${i % 7}`, units: 20, at, eventId } // the agent's own items: one item, one agent
              : { type: 'workReleased', workItemId: `${agentId}-c${(i + 3) % 7}`, at, eventId },
    });
  }
  return events;
}

/**
 * Two processes (each its own cluster connection, service and follower from the start) send the events in four
 * lanes, sending one again while it is refused as unavailable; `disrupt` runs once `at` events are acknowledged.
 * Then checks that every event is in the stream once, each agent's entries replay to its stored record, and each
 * follower's roster holds every agent's last version without having reported a loss.
 */
async function runThrough(options: RedisPresenceOptions, seed: number, at: number, disrupt: () => Promise<void>) {
  const events = eventsFor(seed, 40, 1_000);
  const byId = new Map(events.map((e) => [e.event.eventId, e]));
  const told: unknown[] = [];
  const processes = await Promise.all(
    [0, 1].map(async () => {
      const client = await connect();
      const redis = createRedisPresence(client, options);
      const service = createPresenceService({ machine, ...redis.ports, onError: () => {} });
      const follower = redis.changes.follow(service, { from: '0', pollMs: 10, onError: (error) => told.push(error) });
      return { service, follower };
    }),
  );
  const failures: unknown[] = [];
  let acked = 0;
  let next = 0;
  let disrupted: Promise<void> | undefined;
  const lane = async (lane: number) => {
    while (next < events.length) {
      const { agentId, event } = events[next++]!;
      const { service } = processes[lane % 2]!;
      for (;;) {
        try {
          await service.dispatch(agentId, event);
          break;
        } catch (error) {
          failures.push(error);
          if (!(error instanceof RedisUnavailableError)) throw error;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      if (++acked === at) disrupted = disrupt();
    }
  };
  await Promise.all(Array.from({ length: 4 }, (_, i) => lane(i)));
  await disrupted;

  const checker = await connect();
  const { entries, gap } = await createRedisChangeStream(checker, options).read({ count: 100_000 });
  expect(gap).toBe(false);
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.eventId!, (counts.get(entry.eventId!) ?? 0) + 1);
  for (const e of events) expect(counts.get(e.event.eventId), e.event.eventId).toBe(1);
  expect(entries).toHaveLength(events.length);
  const store = createRedisPresenceStore(checker, options);
  const grouped = new Map<string, RedisChangeEntry[]>();
  for (const entry of entries) grouped.set(entry.agentId, [...(grouped.get(entry.agentId) ?? []), entry]);
  for (const [agentId, mine] of grouped) {
    const stored = (await store.load(agentId))!;
    expect(
      mine.map((e) => e.version),
      agentId,
    ).toEqual(Array.from({ length: stored.version }, (_, i) => i + 1));
    let state = machine.initialState(agentId, byId.get(mine[0]!.eventId!)!.event.at);
    for (const entry of mine) state = machine.transition(state, byId.get(entry.eventId!)!.event).state;
    expect(state, agentId).toEqual(stored.record.state);
  }
  for (const { service, follower } of processes) {
    await follower.caughtUp();
    const roster = await service.findAvailable({ units: 0, bases: ALL_BASES, limit: 1_000, order: 'mostFree' });
    expect(roster.length).toBeGreaterThan(0);
    for (const candidate of roster) expect(candidate.version, candidate.agentId).toBe((await store.load(candidate.agentId))!.version);
    await follower.stop();
  }
  expect(told.filter((error) => error instanceof RedisDataLossError)).toEqual([]);
  expect(failures.every((error) => error instanceof RedisUnavailableError && error.retryable)).toBe(true);
  return { failures, entries };
}

/** The count of an error code in a node's `INFO errorstats` (0 when it never replied it). */
async function errorCount(node: number, code: string): Promise<number> {
  const info = String(await cluster.nodeCommand(node, ['INFO', 'errorstats']));
  return Number(new RegExp(`errorstat_${code}:count=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe('the Redis adapters on a 3-master Redis Cluster', () => {
  it("keep each shard's keys in one slot, and spread the shards over every master", async () => {
    const options = { keyPrefix: 'spread:', shards: 16 };
    const client = await connect();
    const redis = createRedisPresence(client, options);
    const service = createPresenceService({ machine, ...redis.ports });
    const agents = Array.from({ length: 200 }, (_, i) => `agent-${i}`);
    await Promise.all(agents.map((agentId) => service.dispatch(agentId, { type: 'signIn', at: 1_000, eventId: `in-${agentId}` })));
    const owner = await slotOwners();
    const shardMasters = new Set<number>();
    for (const agentId of agents) {
      const keys = redis.store.keysOf(agentId);
      const names = [keys.record, keys.history, keys.agents, keys.stream, keys.deadlines, keys.timers, keys.unreadable, keys.generation];
      const slots = new Set(await Promise.all(names.map(keySlot)));
      expect(slots.size, agentId).toBe(1);
      const node = owner([...slots][0]!);
      shardMasters.add(node);
      // On the master that holds the slot, read without following any redirection.
      expect(Number(await cluster.nodeCommand(node, ['EXISTS', keys.record])), agentId).toBe(1);
    }
    expect([...shardMasters].sort()).toEqual([0, 1, 2]);
    const sizes = await Promise.all(cluster.nodes.map((_, i) => cluster.nodeCommand(i, ['DBSIZE'])));
    for (const size of sizes) expect(Number(size)).toBeGreaterThan(0);
    const listed: string[] = [];
    for await (const { agentId } of redis.store.list()) listed.push(agentId);
    expect(listed.sort()).toEqual([...agents].sort());
  }, 30_000);

  it('route by the slot Redis gives each key, hash tags as Redis reads them', async () => {
    const keys = [
      'foo',
      '{user1000}.following',
      'a{}b',
      '{}{x}',
      'a{b}c{d}',
      '{',
      '}{',
      'x{y',
      'agent-presence:{15}:agent:é-7',
      '{0}',
      'P:{16383}:changes',
      '',
    ];
    for (const key of keys) expect(clusterKeySlot(key), JSON.stringify(key)).toBe(await keySlot(key));
    expect(routingKey(['EVALSHA', 'abc', '2', 'k1', 'k2', 'arg'])).toBe('k1');
    expect(routingKey(['EVAL', 'return 1', '0'])).toBeUndefined();
    expect(routingKey(['XREAD', 'COUNT', '5', 'BLOCK', '100', 'STREAMS', 's1', 's2', '0', '0'])).toBe('s1');
    expect(routingKey(['XINFO', 'STREAM', 's1'])).toBe('s1');
    expect(routingKey(['MEMORY', 'USAGE', 'k'])).toBe('k');
    expect(routingKey(['HMGET', 'k', 'v', 'r'])).toBe('k');
    expect(routingKey(['PING'])).toBeUndefined();
  });

  it('refuse a cluster client handed over without clusterCommandClient, by name; the adapter is one per cluster', async () => {
    const { cluster: raw } = await connect();
    const bare = raw as unknown as RedisCommandClient;
    expect(() => createRedisPresenceStore(bare)).toThrow(
      'createRedisPresenceStore: client is a Redis Cluster client, whose sendCommand takes the routing key first: pass clusterCommandClient(cluster) (from agent-presence/redis) instead',
    );
    expect(() => createRedisPresence(bare)).toThrow(/client is a Redis Cluster client.*clusterCommandClient/);
    expect(clusterCommandClient(raw)).toBe(clusterCommandClient(raw));
    expect(() => clusterCommandClient({} as never)).toThrow('clusterCommandClient: cluster must be a Redis Cluster client (node-redis createCluster)');
  });

  it("read every shard's stream with one XREAD, split per slot, and wake a blocking one for a save on any master", async () => {
    const options = { keyPrefix: 'xread:', shards: 8 };
    const client = await connect();
    const redis = createRedisPresence(client, options);
    const service = createPresenceService({ machine, ...redis.ports });
    await Promise.all(Array.from({ length: 40 }, (_, i) => service.dispatch(`agent-${i}`, { type: 'signIn', at: 1_000 })));
    const streams = redis.changes.streams;
    expect(new Set(await Promise.all(streams.map(keySlot))).size).toBe(8);
    const reply = (await client.sendCommand(['XREAD', 'COUNT', '100', 'STREAMS', ...streams, ...streams.map(() => '0')])) as Record<string, unknown[]>;
    const read = await redis.changes.read();
    expect(Object.keys(reply).sort()).toEqual([...new Set(read.entries.map((e) => streams[e.shard]))].sort());
    expect(Object.values(reply).flat()).toHaveLength(40);

    // Blocking: nothing new for 50 ms is nil; a save on any shard wakes it with that entry.
    expect(await client.sendCommand(['XREAD', 'BLOCK', '50', 'STREAMS', ...streams, ...streams.map(() => '$')])).toBeNull();
    const owner = await slotOwners();
    for (const agentId of ['agent-1', 'agent-2', 'agent-3']) {
      const waiting = client.sendCommand(['XREAD', 'BLOCK', '10000', 'STREAMS', ...streams, ...streams.map(() => '$')]);
      await new Promise((r) => setTimeout(r, 30));
      await service.dispatch(agentId, { type: 'setPresence', presenceId: 'away', at: 2_000 });
      const woke = (await waiting) as Record<string, [string, string[]][]>;
      const stream = redis.store.keysOf(agentId).stream;
      expect(Object.keys(woke), agentId).toEqual([stream]);
      expect(woke[stream]![0]![1].slice(0, 2)).toEqual(['agent', agentId]);
      expect(owner(await keySlot(stream))).toBeGreaterThanOrEqual(0);
    }
  }, 30_000);

  it('go on through a slot migrated mid-run (MOVED after it, ASK while it moves): nothing lost, nothing twice, the followers converge', async () => {
    const options = { keyPrefix: 'moved:', shards: 4 };
    const slot = await keySlot(`${options.keyPrefix}{0}:changes`);
    const from = (await slotOwners())(slot);
    const to = (from + 1) % 3;
    const movedBefore = await errorCount(from, 'MOVED');
    const { failures } = await runThrough(options, 7, 300, async () => {
      expect(await cluster.migrateSlot(slot, to)).toBe(from);
    });
    expect((await slotOwners())(slot)).toBe(to);
    // The writers' and followers' connections knew the slot on its old master: it redirected them.
    expect(await errorCount(from, 'MOVED')).toBeGreaterThan(movedBefore);
    expect(Number(await cluster.nodeCommand(to, ['EXISTS', `${options.keyPrefix}{0}:changes`]))).toBe(1);
    expect(Number(await cluster.nodeCommand(from, ['CLUSTER', 'COUNTKEYSINSLOT', String(slot)]))).toBe(0);
    const replies = async (node: number) =>
      (await Promise.all(['MOVED', 'ASK', 'TRYAGAIN'].map(async (code) => `${code} ${await errorCount(node, code)}`))).join(', ');
    console.log(
      `slot ${slot} migrated from node ${from} (replied ${await replies(from)}) to node ${to} (replied ${await replies(to)}); ${failures.length} dispatches refused as unavailable and sent again`,
    );
  }, 60_000);

  it('give retryable errors while a master restarts on its append-only file, and lose no acknowledged update', async () => {
    const options = { keyPrefix: 'restart:', shards: 4 };
    const victim = (await slotOwners())(await keySlot(`${options.keyPrefix}{0}:changes`));
    const { failures } = await runThrough(options, 11, 300, () => cluster.restartNode(victim));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((error) => error instanceof RedisUnavailableError && error.code === 'REDIS_UNAVAILABLE')).toBe(true);
  }, 60_000);
});
