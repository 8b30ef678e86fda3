import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { PresenceSnapshotError } from '../../src/schema/index';
import { createPresenceService, restoreRecord, UnreadableRecordError, type PresenceRecord, type StoredRecord } from '../../src/service/index';
import { createRedisPresenceStore, type RedisCommandClient } from '../../src/redis/index';
import { useRedisServer } from '../helpers/redisServer';
import { recordingScheduler } from '../helpers/service';

const redis = useRedisServer();

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const recordOf = (agentId: string, at = 0): PresenceRecord => ({ state: machine.initialState(agentId, at), seen: [] });

let prefixes = 0;
/** A fresh key prefix per test, so tests never see each other's keys. */
const prefix = () => `t${++prefixes}:`;

describe('the Redis store', () => {
  it('takes the node-redis client as it is', () => {
    const typed: RedisCommandClient = redis.client;
    expect(typeof typed.sendCommand).toBe('function');
  });

  it('saves only from the expected version, and a conflict writes nothing', async () => {
    const store = createRedisPresenceStore(redis.client, { keyPrefix: prefix() });
    expect(await store.load('a1')).toBeUndefined();
    // The shard's generation: made by the first save (Redis's time, zero-padded, and a random part), then kept.
    const generation = expect.stringMatching(/^\d{15}-[0-9a-f]{8}$/);
    const first = await store.save('a1', recordOf('a1'), 0);
    expect(first).toEqual({ ok: true, version: 1, generation });
    expect(await store.save('a1', recordOf('a1', 5), 0)).toEqual({ ok: false, conflict: true, currentVersion: 1 });
    expect(await store.save('a1', recordOf('a1', 5), 2)).toEqual({ ok: false, conflict: true, currentVersion: 1 });
    expect(await store.load('a1')).toEqual({ record: recordOf('a1'), version: 1, generation: (first as { generation: string }).generation });
    expect(await store.save('a1', recordOf('a1', 7), 1)).toEqual({ ok: true, version: 2, generation: (first as { generation: string }).generation });
    expect((await store.load('a1'))?.record.state.since).toBe(7);
    const stream = store.keysOf('a1').stream;
    expect(await redis.client.sendCommand(['XLEN', stream])).toBe(2); // one entry per save, none for the conflicts
  });

  it('lets exactly one of many concurrent savers from one version win', async () => {
    const store = createRedisPresenceStore(redis.client, { keyPrefix: prefix() });
    await store.save('a1', recordOf('a1'), 0);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.save('a1', recordOf('a1', i + 1), 1)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await store.load('a1'))?.version).toBe(2);
  });

  it("stores the record as the schema module's versioned snapshot, read back with every field checked", async () => {
    const store = createRedisPresenceStore(redis.client, { keyPrefix: prefix() });
    const record: PresenceRecord = {
      state: machine.transition(machine.initialState('a1'), { type: 'signIn', at: 1_000 }).state,
      seen: [{ eventId: 'e1', seenAt: 5, result: { presence: machine.presenceOf(machine.initialState('a1')), changed: false } }],
    };
    await store.save('a1', record, 0);
    const raw = await redis.client.sendCommand<string>(['HGET', store.keysOf('a1').record, 'r']);
    expect(JSON.parse(raw)).toMatchObject({ schemaVersion: 1, state: { agentId: 'a1', presenceId: 'available' }, seen: [{ eventId: 'e1' }] });
    expect(restoreRecord(raw)).toEqual(record);
    await redis.client.sendCommand(['HSET', store.keysOf('a1').record, 'r', raw.replace('"presenceId":"available"', '"presenceId":""')]);
    const error = await store.load('a1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableRecordError);
    expect(error).toMatchObject({ agentId: 'a1', version: 1, newerSchema: false });
    expect((error as Error).cause).toBeInstanceOf(PresenceSnapshotError);
    expect((error as Error).message).toContain('state.presenceId');
  });

  it("keeps every key of an agent, and its shard's stream and timers, under one hash tag (one Cluster slot)", () => {
    const store = createRedisPresenceStore(redis.client, { keyPrefix: 'p:', shards: 16 });
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    const shards = new Set<number>();
    for (const agentId of ['a1', 'agent-{7}', 'x}y{z', 'ünï', ...Array.from({ length: 100 }, (_, i) => `agent-${i}`)]) {
      const keys = store.keysOf(agentId);
      shards.add(keys.shard);
      const tags = new Set([keys.record, keys.history, keys.agents, keys.stream, keys.deadlines, keys.timers].map(tag));
      expect([...tags], agentId).toEqual([String(keys.shard)]);
      expect(keys.record).toBe(`p:{${keys.shard}}:agent:${agentId}`);
    }
    expect(shards.size).toBe(16);
  });

  it('lists every stored agent of every shard', async () => {
    const store = createRedisPresenceStore(redis.client, { keyPrefix: prefix(), shards: 3 });
    const ids = Array.from({ length: 450 }, (_, i) => `agent-${i}`);
    await Promise.all(ids.map((id) => store.save(id, recordOf(id), 0)));
    await store.save('agent-1', recordOf('agent-1', 9), 1);
    const listed = new Map<string, StoredRecord>();
    for await (const stored of store.list()) listed.set(stored.agentId, stored);
    expect([...listed.keys()].sort()).toEqual([...ids].sort());
    expect(listed.get('agent-1')?.version).toBe(2);
    expect(listed.get('agent-1')?.record.state.since).toBe(9);
  });

  it('refuses bad options, naming each', () => {
    expect(() => createRedisPresenceStore(redis.client, { keyPrefix: 'a{b}', shards: 0, maxLen: 1.5 })).toThrow(
      'createRedisPresenceStore: invalid options:\n' +
        '- keyPrefix: must be a string without { or } (the hash tags are the adapter\'s) (got "a{b}")\n' +
        '- shards: must be a whole number from 1 to 16384 (got 0)\n' +
        '- maxLen: must be a whole number from 1 to 9007199254740991 (got 1.5)',
    );
    expect(() => createRedisPresenceStore({} as RedisCommandClient)).toThrow('client must have a sendCommand method');
  });

  it('runs the service: dispatch, dedup by event id and get, across two services sharing it', async () => {
    const options = { keyPrefix: prefix() };
    const one = createPresenceService({ machine, store: createRedisPresenceStore(redis.client, options), scheduler: recordingScheduler() });
    const two = createPresenceService({ machine, store: createRedisPresenceStore(redis.client, options), scheduler: recordingScheduler() });
    await one.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in' });
    const assigned = await two.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000, eventId: 'w1' });
    expect(assigned).toMatchObject({ version: 2, duplicate: false, presence: { presenceId: 'busy' } });
    const again = await one.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000, eventId: 'w1' });
    expect(again).toMatchObject({ version: 2, duplicate: true });
    expect((await one.get('a1')).state.work.map((w) => w.workItemId)).toEqual(['c1']);
  });
});
