/**
 * Values in Redis that no release of this library writes (a hand edit, another program, an attacker with the
 * password) stop nobody and are named in bounded messages:
 *
 * - a shard's generation key holding another type, text that is not a generation (a quote in it), or a megabyte:
 *   the next save replaces it (every follower sees a new generation and resynchronises once), and the changes it
 *   writes stay JSON. Before: a hash there failed every save of the shard and hid the shard from every follower; a
 *   quote broke the JSON of every change of the shard (stream and history); a long one was copied into every record,
 *   entry and change, and into the loss report;
 * - a record's generation field (`g`) that is not a generation is ignored (the record compares by version). Before:
 *   `zzz` sorted after every real generation, and a server that loaded it ignored the agent's next saves;
 * - a version, an agent id or a deadline a megabyte long is named, cut, in messages of a few hundred characters;
 * - a timer of no agent (an agent id that is not an id, or an agent of another shard) is removed and told once.
 *   Before: claimed and told every lease, for good. A timer due by its score but not by its deadline is moved back
 *   to its deadline. Before: claimed every lease until the deadline, its tick refused as in the future, silently.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService, UnreadableRecordError, type PresenceChange } from '../../src/service/index';
import { createRedisPresence, RedisChangeEntryError, RedisDataLossError, type RedisPresenceOptions } from '../../src/redis/index';
import { TRICKY_IDS } from '../../src/testing/index';
import { useRedisServer } from '../helpers/redisServer';
import { manualClock } from '../helpers/service';

const redis = useRedisServer();
/** A bound for each test, generous for a loaded 2-core machine (each takes well under a second alone). */
const BOUND = 30_000;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 60_000 } });
const everyone = { units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'] as const, limit: 100, order: 'mostFree' as const };
const GENERATION = /^\d{15}-[0-9a-f]{8}$/;
const MB = 'x'.repeat(1 << 20);
let prefixes = 0;
const send = <T = unknown>(args: string[]): Promise<T> => redis.client.sendCommand<T>(args);

/** A server: its service (with a follower when asked), what its listeners heard, what was reported. */
function processOn(options: RedisPresenceOptions) {
  const adapters = createRedisPresence(redis.client, options);
  const serviceErrors: unknown[] = [];
  const service = createPresenceService({ machine, ...adapters.ports, onError: (e) => serviceErrors.push(e) });
  const heard: PresenceChange[] = [];
  service.subscribe((c) => heard.push(c));
  const errors: unknown[] = [];
  const follow = () => adapters.changes.follow(service, { pollMs: 5, onError: (e) => errors.push(e) });
  return { adapters, service, heard, errors, serviceErrors, follow, store: adapters.store };
}

describe("a shard's generation key holding what the store never writes", () => {
  it.each([
    ['a hash', ['HSET', 'field', 'value']],
    ['text with a quote', ['SET', 'zzz"garbage']],
    ['a megabyte of text', ['SET', MB]],
  ])(
    'holding %s: the next save replaces it, its change stays JSON, and each follower resyncs once and hears it',
    async (_, [command, ...rest]) => {
      const options = { keyPrefix: `gen${prefixes++}:` };
      const a = processOn(options);
      const b = processOn(options);
      await a.service.dispatch('a1', { type: 'signIn', at: 1_000 });
      const follower = b.follow();
      await follower.caughtUp();
      const keys = a.store.keysOf('a1');
      const before = await send<string>(['GET', keys.generation]);
      await send(['DEL', keys.generation]);
      await send([command!, keys.generation, ...rest]);

      const saved = await a.service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000 });
      expect(saved.version).toBe(2);
      const after = await send<string>(['GET', keys.generation]);
      expect(after).toMatch(GENERATION);
      expect(after).not.toBe(before);
      // The change, in the history and the stream, is JSON with the new generation.
      const [last] = await send<string[]>(['LRANGE', keys.history, '-1', '-1']);
      expect(JSON.parse(last!)).toMatchObject({ version: 2, generation: after, to: { presenceId: 'away' } });
      expect(await send(['HGET', keys.record, 'g'])).toBe(after);

      await follower.caughtUp();
      await follower.stop();
      expect(b.errors).toHaveLength(1);
      expect(b.errors[0]).toBeInstanceOf(RedisDataLossError);
      expect((b.errors[0] as Error).message.length).toBeLessThan(300);
      expect(b.heard.map((c) => `v${c.version} ${c.to.presenceId} ${c.generation === after}`)).toEqual(['v2 away true']);
      expect((await b.service.findAvailable(everyone)).map((c) => `${c.agentId} v${c.version} ${c.presence.presenceId}`)).toEqual(['a1 v2 away']);
    },
    BOUND,
  );
});

describe("a record's generation field that is not a generation", () => {
  it(
    'is ignored: a server that loaded it still takes the next saves of the agent',
    async () => {
      const options = { keyPrefix: `g${prefixes++}:` };
      const a = processOn(options);
      const b = processOn(options);
      await a.service.dispatch('a1', { type: 'signIn', at: 1_000 });
      await send(['HSET', a.store.keysOf('a1').record, 'g', 'zzz']);
      expect(await a.store.load('a1')).not.toHaveProperty('generation');
      await b.service.get('a1'); // b's roster: the record as stored
      const follower = b.follow();
      await follower.caughtUp();
      await a.service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000 });
      await follower.caughtUp();
      await follower.stop();
      expect((await b.service.findAvailable(everyone)).map((c) => `${c.agentId} v${c.version} ${c.presence.presenceId}`)).toEqual(['a1 v2 away']);
      expect(b.errors).toEqual([]);
    },
    BOUND,
  );
});

describe('values a megabyte long', () => {
  it(
    'are named cut: a version of a record, and the version and the agent of a stream entry',
    async () => {
      const options = { keyPrefix: `mb${prefixes++}:` };
      const a = processOn(options);
      await a.service.dispatch('a1', { type: 'signIn', at: 1_000 });
      const keys = a.store.keysOf('a1');
      const follower = a.follow();
      await follower.caughtUp();
      await send(['XADD', keys.stream, '*', 'agent', 'a1', 'version', MB, 'state', '{}']);
      await send(['XADD', keys.stream, '*', 'agent', MB, 'version', '2', 'state', '{}']);
      await follower.caughtUp();
      await follower.stop();
      expect(a.errors.map((e) => [(e as RedisChangeEntryError).agentId, (e as Error).message.length < 400])).toEqual([
        ['a1', true],
        [undefined, true],
      ]);
      expect((a.errors[0] as Error).message).toContain(`its version (field version) must be a whole number ≥ 1 (got "${'x'.repeat(60)}…")`);
      expect((a.errors[1] as Error).message).toContain(`its agent (field agent) must be a non-empty string of ≤ 256 characters (got "${'x'.repeat(60)}…")`);

      await send(['HSET', keys.record, 'v', MB]);
      const error = await a.service.get('a1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableRecordError);
      expect((error as Error).message.length).toBeLessThan(400);
      expect((error as Error).message).toContain(`its version (field v) must be a whole number ≥ 1 (got "${'x'.repeat(60)}…")`);
      const repair = await a.service.repairAgent('a1');
      expect(repair).toMatchObject({ repaired: true, version: 2 });
      expect(repair.problem!.length).toBeLessThan(400);
    },
    BOUND,
  );
});

describe('the timers', () => {
  it(
    'remove a timer of no agent, telling once, and name a deadline a megabyte long cut',
    async () => {
      const options = { keyPrefix: `t${prefixes++}:`, shards: 4, leaseMs: 1_000 };
      const a = processOn(options);
      const clock = manualClock(1_000_000);
      const keysOf = (id: string) => a.store.keysOf(id);
      const shardOf = (id: string) => keysOf(id).shard;
      const home = keysOf('a1');
      const stranger = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8'].find((id) => shardOf(id) !== home.shard)!;
      for (const [agentId, value] of [
        ['', '5'],
        ['y'.repeat(10_000), '5'],
        [stranger, '5'],
        ['a1', MB],
      ] as const) {
        await send(['HSET', home.deadlines, agentId, value]);
        await send(['ZADD', home.timers, '0', agentId]);
      }
      const told: [string, string | undefined][] = [];
      const runner = a.adapters.timers.run(a.service, { clock, pollMs: 60_000, onError: (e, agentId) => told.push([(e as Error).message, agentId]) });
      await runner.runOnce();
      clock.advance(5_000); // past the lease: had anything been left, it would be claimed again
      await runner.runOnce();
      await runner.stop();
      const where = home.deadlines;
      expect(told.sort((x, y) => x[0].localeCompare(y[0]))).toEqual([
        [`the deadline of agent "a1" in ${where} is not a time (got "${'x'.repeat(60)}…"): removed (the agent has no record)`, 'a1'],
        [`the timers of ${where} hold agent "${stranger}", of shard ${shardOf(stranger)} (deadline "5"): removed`, undefined],
        [`the timers of ${where} hold an agent id that must be a non-empty string of ≤ 256 characters (got "") (deadline "5"): removed`, undefined],
        [
          `the timers of ${where} hold an agent id that must be a non-empty string of ≤ 256 characters (got "${'y'.repeat(60)}…") (deadline "5"): removed`,
          undefined,
        ],
      ]);
      expect(await send(['ZCARD', home.timers])).toBe(0);
      expect(await send(['HLEN', home.deadlines])).toBe(0);
    },
    BOUND,
  );

  it(
    'move a timer due by its score but not by its deadline back to its deadline, without a tick',
    async () => {
      const options = { keyPrefix: `score${prefixes++}:`, leaseMs: 1_000 };
      const a = processOn(options);
      const now = Date.now();
      await a.service.dispatch('a1', { type: 'signIn', at: now });
      const keys = a.store.keysOf('a1');
      const deadline = await send<string>(['HGET', keys.deadlines, 'a1']);
      expect(Number(deadline)).toBe(now + 60_000);
      await send(['ZADD', keys.timers, '-inf', 'a1']); // by hand
      const told: unknown[] = [];
      const runner = a.adapters.timers.run(a.service, { pollMs: 60_000, onError: (e) => told.push(e) });
      expect(await runner.runOnce()).toBe(0);
      await runner.stop();
      expect(Number(await send(['ZSCORE', keys.timers, 'a1']))).toBe(Number(deadline));
      expect(told).toEqual([]);
      expect((await a.store.load('a1'))!.version).toBe(1); // no tick was sent (it would have been refused as in the future, every lease)
    },
    BOUND,
  );
});

describe('tricky agent ids', () => {
  it(
    'are each reported unreadable by name, listed, repaired and dispatched to again',
    async () => {
      const options = { keyPrefix: `tricky${prefixes++}:`, shards: 4 };
      const a = processOn(options);
      const b = processOn(options);
      for (const id of TRICKY_IDS) await a.service.dispatch(id, { type: 'signIn', at: 1_000 });
      for (const id of TRICKY_IDS) await send(['HSET', a.store.keysOf(id).record, 'r', '{"schemaVersion":1,']);
      expect(await b.service.rebuildRoster()).toBe(0);
      expect(
        b.service
          .unreadableAgents()
          .map((u) => u.agentId)
          .sort(),
      ).toEqual([...TRICKY_IDS].sort());
      const follower = b.follow();
      await follower.caughtUp();
      for (const id of TRICKY_IDS) expect(await a.service.repairAgent(id), id).toMatchObject({ agentId: id, repaired: true, version: 2 });
      await follower.caughtUp();
      await follower.stop();
      expect(b.service.unreadableAgents()).toEqual([]);
      for (const id of TRICKY_IDS) expect((await b.service.dispatch(id, { type: 'signIn', at: 3_000 })).version, id).toBe(3);
      expect((await b.service.findAvailable(everyone)).map((c) => c.agentId).sort()).toEqual([...TRICKY_IDS].sort());
    },
    BOUND,
  );
});
