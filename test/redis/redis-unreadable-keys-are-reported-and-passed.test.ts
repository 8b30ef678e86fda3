/**
 * The Redis adapters one by one, in this process, against the damage the fault suites inflict across processes:
 * the store lists past unreadable records and names each, `readForRepair` moves aside what a save cannot write
 * over, `read` returns unreadable entries apart, a follower tells a shard it cannot read once, and the timers
 * remove the timer of a record nobody can tick (keeping a newer release's).
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService, UnreadableRecordError, type PresenceChange } from '../../src/service/index';
import { createRedisChangeStream, createRedisPresenceStore, createRedisTimers, RedisChangeEntryError, type RedisPresenceOptions } from '../../src/redis/index';
import { useRedisServer } from '../helpers/redisServer';
import { manualClock } from '../helpers/service';

const redis = useRedisServer();
const TTL = 60_000;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: TTL } });
let prefixes = 0;
const options = (extra: RedisPresenceOptions = {}): RedisPresenceOptions => ({ keyPrefix: `un${++prefixes}:`, leaseMs: 5_000, ...extra });
const send = (args: string[]): Promise<unknown> => redis.client.sendCommand(args);

function setup(opts: RedisPresenceOptions) {
  const store = createRedisPresenceStore(redis.client, opts);
  const timers = createRedisTimers(redis.client, opts);
  const service = createPresenceService({ machine, store, scheduler: timers.scheduler, onError: () => {} });
  return { store, timers, service, changes: createRedisChangeStream(redis.client, opts) };
}

describe('the Redis store', () => {
  it('lists every readable record and hands each unreadable one to onUnreadable, naming the agent and the cause', async () => {
    const { store, service } = setup(options({ shards: 2 }));
    for (const id of ['ok-1', 'json', 'type', 'version', 'no-record', 'ok-2']) await service.dispatch(id, { type: 'signIn', at: 1_000 });
    const key = (id: string) => store.keysOf(id).record;
    await send(['HSET', key('json'), 'r', '{"schemaVersion":1']);
    await send(['DEL', key('type')]);
    await send(['SADD', key('type'), 'x']);
    await send(['HSET', key('version'), 'v', 'seven']);
    await send(['HDEL', key('no-record'), 'r']);
    const listed: string[] = [];
    const unreadable: UnreadableRecordError[] = [];
    for await (const stored of store.list((error) => unreadable.push(error))) listed.push(stored.agentId);
    expect(listed.sort()).toEqual(['ok-1', 'ok-2']);
    expect(
      unreadable
        .map((e) => [e.agentId, e.version, e.message.split('\n')[0]!.replace(/^Agent "[^"]+": /, '')])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['json', 1, 'the stored record (version 1) cannot be read: Invalid presence snapshot:'],
      ['no-record', 1, 'the stored record (version 1) cannot be read: its hash holds a version but no record (field r)'],
      ['type', undefined, `the stored record cannot be read: its key ${key('type')} holds a set, not a hash`],
      ['version', undefined, 'the stored record cannot be read: its version (field v) must be a whole number ≥ 1 (got "seven")'],
    ]);
    // Without onUnreadable, list throws the first, as load does.
    await expect(async () => {
      for await (const _ of store.list()) void _;
    }).rejects.toThrow(UnreadableRecordError);
    await expect(store.load('type')).rejects.toMatchObject({ name: 'UnreadableRecordError', agentId: 'type' });
  });

  it('readForRepair moves aside what a save cannot write over, and continues above the versions the stream and history hold', async () => {
    const opts = options();
    const { store, service } = setup(opts);
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    for (const presenceId of ['away', 'available']) await service.dispatch('a1', { type: 'setPresence', presenceId, at: 1_000 });
    await send(['DEL', store.keysOf('a1').history]); // the stream still knows version 3
    await send(['DEL', store.keysOf('a1').record]);
    await send(['RPUSH', store.keysOf('a1').record, 'junk']);
    expect(await store.readForRepair!('a1')).toEqual({
      version: 3,
      problem: `its key held a list, not a hash: moved aside to ${store.keysOf('a1').unreadable}`,
    });
    expect(await send(['TYPE', store.keysOf('a1').unreadable])).toBe('list');
    expect(await send(['HGETALL', store.keysOf('a1').record])).toEqual({ v: '3' });
    // A version that is not a number: replaced, the record left in place and returned; the repair keeps it whole.
    await service.dispatch('a2', { type: 'signIn', at: 1_000 });
    const record = await send(['HGET', store.keysOf('a2').record, 'r']);
    await send(['HSET', store.keysOf('a2').record, 'v', '-1']);
    expect(await store.readForRepair!('a2')).toEqual({
      version: 1,
      record,
      problem: 'its version (field v) was not a whole number ≥ 1 (got "-1"): set to 1, above the versions the stream and history hold',
    });
    expect(await send(['HGETALL', store.keysOf('a2').record])).toEqual({ v: '1', r: record, g: expect.stringMatching(/^\d{15}-[0-9a-f]{8}$/) as unknown });
    await send(['HSET', store.keysOf('a2').record, 'v', 'x']);
    const repair = await service.repairAgent('a2');
    expect(repair).toMatchObject({ repaired: true, version: 2, dropped: [], kept: { sessions: 1 } });
    expect(repair.state).toEqual((JSON.parse(record as string) as { state: unknown }).state);
    // A sane record comes back as stored; nothing stored, undefined.
    expect(await store.readForRepair!('a1')).toEqual({ version: 3, problem: 'its hash holds a version but no record (field r)' });
    expect(await store.readForRepair!('nobody')).toBeUndefined();
    expect((await service.repairAgent('a1')).version).toBe(4);
    expect(await store.readForRepair!('a1')).toEqual({
      version: 4,
      record: await send(['HGET', store.keysOf('a1').record, 'r']),
      generation: await send(['GET', store.keysOf('a1').generation]),
    });
  });
});

describe('the change stream', () => {
  it('read returns the unreadable entries apart, each named, and its position passes them', async () => {
    const opts = options();
    const { service, changes, store } = setup(opts);
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    const bad = (await send(['XADD', store.keysOf('a1').stream, '*', 'agent', 'a1', 'version', 'two', 'state', '{}'])) as string;
    await service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000 });
    const batch = await changes.read();
    expect(batch.entries.map((e) => e.version)).toEqual([1, 2]);
    expect(batch.unreadable).toHaveLength(1);
    expect(batch.unreadable[0]).toBeInstanceOf(RedisChangeEntryError);
    expect(batch.unreadable[0]).toMatchObject({ shard: 0, entryId: bad, agentId: 'a1', step: 'read', skipped: true });
    expect(batch.unreadable[0]!.message).toContain('its version (field version) must be a whole number ≥ 1 (got "two")');
    expect(batch.position).toEqual([batch.entries[1]!.id]);
  });

  it('a follower reports an entry the service refuses (step ingest), passes it, and reloads its agent from the store', async () => {
    const opts = options();
    const writer = setup(opts);
    const reader = setup(opts);
    await writer.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await writer.service.dispatch('a2', { type: 'signIn', at: 1_000 });
    const errors: unknown[] = [];
    const follower = reader.changes.follow(reader.service, { pollMs: 5, onError: (e) => errors.push(e) });
    await follower.caughtUp();
    const everyone = { units: 0, bases: ['Available', 'Away'] as const, limit: 10, order: 'mostFree' as const };
    expect((await reader.service.findAvailable(everyone)).map((c) => `${c.agentId} v${c.version} ${c.presence.presenceId}`)).toEqual([
      'a1 v1 available',
      'a2 v1 available',
    ]);
    // a2 moved on in the store without an entry the reader could take (written by another program): its entry names
    // a2 but holds a1's state, which ingest refuses.
    const a2 = JSON.parse((await send(['HGET', writer.store.keysOf('a2').record, 'r'])) as string) as { state: Record<string, unknown> };
    const away = {
      ...a2,
      state: { ...a2.state, presenceId: 'away', base: 'Away', source: 'manual', choice: { presenceId: 'away', base: 'Away', source: 'manual' } },
    };
    await send(['HSET', writer.store.keysOf('a2').record, 'v', '2', 'r', JSON.stringify(away)]);
    const { seen: _, ...a1 } = JSON.parse((await send(['HGET', writer.store.keysOf('a1').record, 'r'])) as string) as { seen: unknown };
    const bad = (await send(['XADD', writer.store.keysOf('a2').stream, '*', 'agent', 'a2', 'version', '2', 'state', JSON.stringify(a1)])) as string;
    await writer.service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000 });
    await follower.caughtUp();
    await follower.stop();
    expect(errors).toEqual([expect.objectContaining({ name: 'RedisChangeEntryError', entryId: bad, agentId: 'a2', step: 'ingest', skipped: true })]);
    expect((errors[0] as Error).message).toContain(`ingest: state.agentId must be the agent's id "a2" (got "a1")`);
    expect((await reader.service.findAvailable(everyone)).map((c) => `${c.agentId} v${c.version} ${c.presence.presenceId}`).sort()).toEqual([
      'a1 v2 away',
      'a2 v2 away',
    ]);
  });

  it('a follower tells once of a shard it cannot read, and goes on with the others', async () => {
    const opts = options({ shards: 4 });
    const writer = setup(opts);
    const reader = setup(opts);
    const errors: unknown[] = [];
    const heard: PresenceChange[] = [];
    reader.service.subscribe((c) => heard.push(c));
    const agents = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
    const broken = writer.store.keysOf(agents[0]!).shard;
    await send(['SET', writer.store.keysOf(agents[0]!).stream, 'not a stream']);
    const follower = reader.changes.follow(reader.service, { pollMs: 5, onError: (e) => errors.push(e) });
    await follower.caughtUp();
    const reachable = agents.filter((id) => writer.store.keysOf(id).shard !== broken);
    for (const id of reachable) await writer.service.dispatch(id, { type: 'signIn', at: 1_000 });
    await follower.caughtUp();
    await new Promise((r) => setTimeout(r, 50)); // ten more polls: still told once
    await follower.caughtUp();
    await follower.stop();
    expect(heard.map((c) => c.agentId).sort()).toEqual(reachable.sort());
    expect(errors.map((e) => (e as Error).message)).toEqual([
      expect.stringMatching(new RegExp(`^change stream shard ${broken} \\(.*\\) cannot be read: WRONGTYPE`)),
    ]);
  });
});

describe('the Redis timers', () => {
  it('remove the timer of a record nobody can read, telling once, and keep a newer release’s for it to tick', async () => {
    const opts = options();
    const { service, timers, store } = setup(opts);
    await service.dispatch('corrupt', { type: 'signIn', at: 1_000 });
    await service.dispatch('newer', { type: 'signIn', at: 1_000 });
    await send(['HSET', store.keysOf('corrupt').record, 'r', '{']);
    const newer = JSON.parse((await send(['HGET', store.keysOf('newer').record, 'r'])) as string) as object;
    await send(['HSET', store.keysOf('newer').record, 'r', JSON.stringify({ ...newer, schemaVersion: 2 })]);
    const errors: [string, string | undefined][] = [];
    const clock = manualClock(1_000 + TTL);
    const runner = timers.run(service, { clock, pollMs: 60_000, onError: (e, agentId) => errors.push([(e as Error).message.split('\n')[0]!, agentId]) });
    await runner.runOnce();
    clock.advance(10_000); // past the lease: the newer release's timer is claimed again, and not told again
    await runner.runOnce();
    await runner.stop();
    expect(errors.sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      [
        expect.stringMatching(/^the timer of agent "corrupt" \(tick at 61000\) was removed: Agent "corrupt": the stored record \(version 1\) cannot be read/),
        'corrupt',
      ],
      [expect.stringMatching(/^Agent "newer": the stored record \(version 1\) cannot be read/), 'newer'],
    ]);
    expect(await send(['HGET', store.keysOf('corrupt').deadlines, 'corrupt'])).toBeNull();
    expect(await send(['ZSCORE', store.keysOf('corrupt').timers, 'corrupt'])).toBeNull();
    expect(await send(['HGET', store.keysOf('newer').deadlines, 'newer'])).toBe(String(1_000 + TTL));
  });

  it('remove a deadline that is not a time from an agent with no record, telling once', async () => {
    const opts = options();
    const { timers, service, store } = setup(opts);
    await send(['HSET', store.keysOf('ghost').deadlines, 'ghost', '12abc']);
    await send(['ZADD', store.keysOf('ghost').timers, '0', 'ghost']);
    const errors: [string, string | undefined][] = [];
    const runner = timers.run(service, { pollMs: 60_000, onError: (e, agentId) => errors.push([(e as Error).message, agentId]) });
    await runner.runOnce();
    await runner.stop();
    expect(errors).toEqual([[expect.stringContaining('is not a time (got "12abc"): removed (the agent has no record)'), 'ghost']]);
    expect(await send(['ZCARD', store.keysOf('ghost').timers])).toBe(0);
    expect(await store.load('ghost')).toBeUndefined();
  });
});
