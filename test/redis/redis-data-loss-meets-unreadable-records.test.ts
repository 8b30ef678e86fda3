/**
 * Poison isolation and data-loss detection were built apart; here they meet, on a real redis-server:
 *
 * - an agent listed as unreadable, then its shard's data lost: the resync lists it no more (its record is gone) and
 *   takes its saves of the new generation, whatever their version; an unreadable agent of a shard that lost nothing
 *   stays listed, as first met, and is not reported again. Before: it stayed listed for good, and its new saves (v1…)
 *   were ignored as older than the unreadable version 5: the agent was never offered again;
 * - `ingest` of a save of a later generation lifts the quarantine whatever its version;
 * - `repairAgent` of a record that reads, after a loss, indexes it in its generation. Before: the roster kept the
 *   lost save (a higher version of the older generation), and went on offering the agent as it was;
 * - an event sent again after a repair is a duplicate (the repair kept its id): applied once;
 * - a shard whose stream key holds another type is still checked for a loss. Before: its generation was never read,
 *   and a loss of that shard went unseen.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService, UnreadableRecordError, type PresenceChange } from '../../src/service/index';
import { createRedisChangeStream, createRedisPresence, RedisDataLossError, type RedisPresenceOptions } from '../../src/redis/index';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
/** A bound for each test, generous for a loaded 2-core machine (each takes well under a second alone). */
const BOUND = 30_000;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const everyone = { units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'] as const, limit: 100, order: 'mostFree' as const };
let prefixes = 0;
const send = <T = unknown>(args: string[]): Promise<T> => redis.client.sendCommand<T>(args);

function processOn(options: RedisPresenceOptions, routing: 'redis' | 'ingested' = 'redis') {
  const adapters = createRedisPresence(redis.client, options);
  const reported: [string, string][] = [];
  // 'ingested': routes from the roster its follower feeds (a store without findAvailable), as before the Redis roster.
  const { findAvailable: _routes, ...withoutRoster } = adapters.store;
  const store = routing === 'redis' ? adapters.store : withoutRoster;
  const service = createPresenceService({ machine, ...adapters.ports, store, onError: (e, c) => reported.push([c.kind, c.agentId]) });
  const heard: PresenceChange[] = [];
  service.subscribe((c) => heard.push(c));
  const errors: unknown[] = [];
  const follow = () => adapters.changes.follow(service, { pollMs: 5, onError: (e) => errors.push(e) });
  const roster = async () => (await service.findAvailable(everyone)).map((c) => `${c.agentId} v${c.version} ${c.presence.presenceId}`).sort();
  return { adapters, store: adapters.store, service, heard, errors, reported, follow, roster };
}

/** Deletes every key of one shard, as a loss of that shard's data would. */
async function loseShard(keyPrefix: string, shard: number) {
  const keys = await send<string[]>(['KEYS', `${keyPrefix}{${shard}}:*`]);
  if (keys.length > 0) await send(['DEL', ...keys]);
}

/** Two agent ids on different shards of two. */
function twoShards(store: { keysOf(id: string): { shard: number } }) {
  const x = 'x1';
  const y = ['y1', 'y2', 'y3', 'y4', 'y5', 'y6'].find((id) => store.keysOf(id).shard !== store.keysOf(x).shard)!;
  return { x, y };
}

describe('an unreadable agent and a data loss', () => {
  it(
    'after its shard lost data: listed no more, and its saves of the new generation are taken; one of another shard stays listed',
    async () => {
      const options = { keyPrefix: `loss${prefixes++}:`, shards: 2 };
      const a = processOn(options);
      const b = processOn(options);
      const { x, y } = twoShards(a.store);
      for (const id of [x, y]) await a.service.dispatch(id, { type: 'signIn', at: 1_000 });
      for (let i = 0; i < 4; i++) await a.service.dispatch(x, { type: 'setPresence', presenceId: i % 2 === 0 ? 'away' : 'available', at: 2_000 + i });
      for (const id of [x, y]) await send(['HSET', a.store.keysOf(id).record, 'r', '{"schemaVersion":1,']);
      await b.service.rebuildRoster();
      expect(b.service.unreadableAgents().map((u) => [u.agentId, u.error.version])).toEqual([
        [x, 5],
        [y, 1],
      ]);
      const since = b.service.unreadableAgents()[1]!.since;
      const follower = b.follow();
      await follower.caughtUp();

      await loseShard(options.keyPrefix, a.store.keysOf(x).shard);
      await follower.caughtUp();
      expect(b.errors).toEqual([expect.objectContaining({ code: 'REDIS_DATA_LOSS', shard: a.store.keysOf(x).shard })]);
      // x's record is gone: not unreadable any more. y's still is: listed as first met, not reported again.
      expect(b.service.unreadableAgents().map((u) => [u.agentId, u.since])).toEqual([[y, since]]);
      expect(b.reported).toEqual([
        ['unreadable', x],
        ['unreadable', y],
      ]);

      await a.service.dispatch(x, { type: 'signIn', at: 3_000 }); // v1 of the new generation
      await follower.caughtUp();
      await follower.stop();
      expect(await b.roster()).toEqual([`${x} v1 available`]);
      expect(b.heard.map((c) => `${c.agentId} v${c.version} ${c.to.presenceId}`)).toEqual([`${x} v1 available`]);
    },
    BOUND,
  );

  it(
    'ingest of a save of a later generation lifts the quarantine, whatever its version',
    async () => {
      const options = { keyPrefix: `ingest${prefixes++}:` };
      const a = processOn(options);
      const b = processOn(options, 'ingested');
      await a.service.dispatch('x', { type: 'signIn', at: 1_000 });
      for (const presenceId of ['busy', 'away']) await a.service.dispatch('x', { type: 'setPresence', presenceId, at: 1_000 });
      expect(await b.roster()).toEqual(['x v3 away']);
      await send(['HSET', a.store.keysOf('x').record, 'r', '{']);
      const error = await b.service.get('x').catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'UnreadableRecordError', version: 3, generation: expect.stringMatching(/^\d{15}-[0-9a-f]{8}$/) });
      const later = `${'9'.repeat(15)}-00000000`;
      const state = machine.transition(machine.initialState('x', 4_000), { type: 'signIn', at: 4_000 }).state;
      expect(b.service.ingest({ agentId: 'x', state, version: 2, generation: (error as UnreadableRecordError).generation! })).toBe(false); // older news
      expect(b.service.unreadableAgents().map((u) => u.agentId)).toEqual(['x']);
      expect(b.service.ingest({ agentId: 'x', state, version: 1, generation: later })).toBe(true);
      expect(b.service.unreadableAgents()).toEqual([]);
      expect(await b.roster()).toEqual(['x v1 available']);
    },
    BOUND,
  );
});

describe('repairAgent after a data loss', () => {
  it(
    'indexes a record that reads in its generation, not below the lost save of the older one',
    async () => {
      const options = { keyPrefix: `repair${prefixes++}:` };
      const a = processOn(options);
      const b = processOn(options);
      await a.service.dispatch('x', { type: 'signIn', at: 1_000 });
      for (const presenceId of ['busy', 'available']) await a.service.dispatch('x', { type: 'setPresence', presenceId, at: 1_000 });
      expect(await b.roster()).toEqual(['x v3 available']);
      await loseShard(options.keyPrefix, 0);
      await a.service.dispatch('x', { type: 'signIn', at: 2_000 });
      await a.service.dispatch('x', { type: 'setPresence', presenceId: 'away', at: 2_000 }); // v2 of the new generation
      const repair = await b.service.repairAgent('x');
      expect(repair).toMatchObject({ repaired: false, version: 2 });
      expect(await b.roster()).toEqual(['x v2 away']);
    },
    BOUND,
  );

  it(
    'keeps the ids of the events applied: one sent again after it is a duplicate, applied once',
    async () => {
      const options = { keyPrefix: `again${prefixes++}:` };
      const a = processOn(options);
      const b = processOn(options);
      const signIn = { type: 'signIn', sessionId: 'desk', at: 1_000, eventId: 'in-1' } as const;
      await a.service.dispatch('x', signIn);
      const keys = a.store.keysOf('x');
      const stored = JSON.parse(await send<string>(['HGET', keys.record, 'r'])) as { state: Record<string, unknown> };
      await send(['HSET', keys.record, 'r', JSON.stringify({ ...stored, state: { ...stored.state, lastAt: null } })]);
      expect(await a.service.repairAgent('x')).toMatchObject({ repaired: true, version: 2, kept: { sessions: 1, seen: 1 } });
      const again = await b.service.dispatch('x', signIn);
      expect(again).toMatchObject({ duplicate: true, version: 2, changed: true });
      expect(again.state.sessions.map((s) => s.sessionId)).toEqual(['desk']);
      const { entries } = await createRedisChangeStream(redis.client, options).read();
      expect(entries.map((e) => `v${e.version} ${e.eventId ?? '-'}`)).toEqual(['v1 in-1', 'v2 -']);
      // b, which never ran the sign-in's duties, delivers its change again (at least once), as its first save made it.
      expect(b.heard.map((c) => `v${c.version} ${c.from.presenceId}→${c.to.presenceId} ${c.eventId}`)).toEqual(['v1 offline→available in-1']);
    },
    BOUND,
  );
});

describe('a shard whose stream key holds another type', () => {
  it(
    'is still checked for a loss: the follower resyncs, tells the shard unreadable once, and the other shard goes on',
    async () => {
      const options = { keyPrefix: `wrong${prefixes++}:`, shards: 2 };
      const a = processOn(options);
      const b = processOn(options);
      const { x, y } = twoShards(a.store);
      for (const id of [x, y]) await a.service.dispatch(id, { type: 'signIn', at: 1_000 });
      const follower = b.follow();
      await follower.caughtUp();
      expect(await b.roster()).toEqual([`${x} v1 available`, `${y} v1 available`].sort());
      const shard = a.store.keysOf(x).shard;
      await loseShard(options.keyPrefix, shard);
      await send(['SET', a.store.keysOf(x).stream, 'not a stream']);
      await follower.caughtUp();
      await a.service.dispatch(y, { type: 'setPresence', presenceId: 'away', at: 2_000 });
      await follower.caughtUp();
      await follower.stop();
      expect(b.errors.map((e) => (e instanceof RedisDataLossError ? `loss of shard ${e.shard}` : (e as Error).message.replace(/\(.*\)/, '(…)')))).toEqual([
        `change stream shard ${shard} (…) cannot be read: WRONGTYPE its key holds a string, not a stream: rename or delete it`,
        `loss of shard ${shard}`,
      ]);
      expect(await b.roster()).toEqual([`${y} v2 away`]); // x is gone with its shard's data
    },
    BOUND,
  );
});
