/**
 * The change-stream follower checks, on every read, each shard's generation and that the newest entry it read or
 * its process saved is still there. A fresh deployment (no generation yet, then the first save's) is no loss; a
 * shard whose keys are gone, or whose entry this process wrote is gone untrimmed, is: the follower resyncs its
 * service, tells onError, and a generation kept through the loss is replaced so that the other processes see it.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresence, RedisDataLossError, type RedisPresenceOptions } from '../../src/redis/index';
import { createPresenceService, type PresenceChange } from '../../src/service/index';
import { connectClient, useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const everyone = { units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'] as const, limit: 100, order: 'mostFree' as const };
let prefixes = 0;

/** A process: its own client, service, follower; what its listeners heard and what its follower reported. */
async function processOn(options: RedisPresenceOptions) {
  const client = await connectClient(redis.server.url);
  const adapters = createRedisPresence(client, options);
  const service = createPresenceService({ machine, ...adapters.ports });
  const heard: PresenceChange[] = [];
  service.subscribe((c) => heard.push(c));
  const errors: unknown[] = [];
  const { follower } = adapters.start(service, { follow: { pollMs: 5, onError: (e) => errors.push(e) }, timers: { pollMs: 50 } });
  await follower.caughtUp();
  const roster = async () => (await service.findAvailable(everyone)).map((c) => `${c.agentId} v${c.version} ${c.presence.presenceId}`);
  return {
    client,
    adapters,
    service,
    heard,
    errors,
    follower,
    roster,
    async close() {
      await adapters.stop();
      await service.close();
      await client.close();
    },
  };
}

describe('the follower and lost data', () => {
  it("finds a shard's keys gone (its generation changed), resyncs, and takes the versions that start again at 1", async () => {
    const options = { keyPrefix: `gone${prefixes++}:`, shards: 2 };
    const a = await processOn(options);
    const b = await processOn(options);
    await a.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await a.service.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 10, at: 2_000 });
    await b.service.dispatch('a2', { type: 'signIn', at: 1_000 });
    await Promise.all([a.follower.caughtUp(), b.follower.caughtUp()]);
    // A fresh deployment: no generation at first, then the first save's, is no loss.
    expect([a.errors, b.errors]).toEqual([[], []]);
    expect(await b.roster()).toEqual(['a2 v1 available', 'a1 v2 busy']);
    expect(await a.roster()).toEqual(await b.roster());
    const keys = await redis.client.sendCommand<string[]>(['KEYS', `${options.keyPrefix}*`]);
    await redis.client.sendCommand(['DEL', ...keys]); // as FLUSHALL would
    await Promise.all([a.follower.caughtUp(), b.follower.caughtUp()]);
    for (const p of [a, b]) {
      // One loss per shard that held data (a shard never written has nothing to lose).
      expect(p.errors.length).toBeGreaterThanOrEqual(1);
      for (const error of p.errors) expect(error).toMatchObject({ name: 'RedisDataLossError', code: 'REDIS_DATA_LOSS', reason: 'generation', after: '' });
      expect(p.errors[0]).toBeInstanceOf(RedisDataLossError);
      expect(await p.roster()).toEqual([]); // nobody is stored now: nobody is offered
    }
    await a.service.dispatch('a1', { type: 'signIn', at: 3_000 }); // v1 of the new generation
    await b.follower.caughtUp();
    expect(await b.roster()).toEqual(['a1 v1 available']);
    expect(b.heard.map((c) => `${c.agentId} v${c.version} ${c.to.presenceId}`).at(-1)).toBe('a1 v1 available');
    expect(b.heard.at(-1)?.generation).not.toBe(b.heard[0]?.generation);
    const lossesFound = [a.errors.length, b.errors.length];
    await a.service.dispatch('a2', { type: 'signIn', at: 3_000 });
    await Promise.all([a.follower.caughtUp(), b.follower.caughtUp()]);
    expect([a.errors.length, b.errors.length]).toEqual(lossesFound); // the new generations appearing are no second loss
    await Promise.all([a.close(), b.close()]);
  });

  it('finds an entry its process saved gone untrimmed (the generation kept), gives the shard a new one, and the other process sees it too', async () => {
    const options = { keyPrefix: `lost${prefixes++}:` };
    const a = await processOn(options);
    const b = await processOn(options);
    await a.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await Promise.all([a.follower.caughtUp(), b.follower.caughtUp()]);
    const keys = a.adapters.store.keysOf('a1');
    const generation = await redis.client.sendCommand<string>(['GET', keys.generation]);
    // The last write is lost, as a replica that missed it would lose it: its record and its entry, not the generation.
    await a.follower.stop(); // (so that the loss is found by the next reads of both, not in between)
    const v1 = await redis.client.sendCommand<string>(['HGET', keys.record, 'r']);
    await a.service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000 });
    await b.follower.caughtUp();
    expect(await b.roster()).toEqual(['a1 v2 away']);
    const [last] = await redis.client.sendCommand<[string, unknown][]>(['XREVRANGE', keys.stream, '+', '-', 'COUNT', '1']);
    await redis.client.sendCommand(['XDEL', keys.stream, last![0]]);
    await redis.client.sendCommand(['HSET', keys.record, 'v', '1', 'r', v1]);
    await b.follower.caughtUp();
    expect(b.errors).toEqual([expect.objectContaining({ code: 'REDIS_DATA_LOSS', reason: 'missing-entry', before: generation })]);
    const rotated = await redis.client.sendCommand<string>(['GET', keys.generation]);
    expect(rotated > generation).toBe(true);
    expect(await b.roster()).toEqual(['a1 v1 available']);
    // A follower of a process that never held the lost entry sees the new generation.
    const c = await processOn(options);
    expect(c.errors).toEqual([]);
    await a.service.dispatch('a1', { type: 'setPresence', presenceId: 'busy', at: 3_000 }); // in the new generation
    await Promise.all([b.follower.caughtUp(), c.follower.caughtUp()]);
    expect(await b.roster()).toEqual(['a1 v2 busy']);
    expect(b.heard.at(-1)).toMatchObject({ version: 2, generation: rotated, to: { presenceId: 'busy' } });
    await Promise.all([a.close(), b.close(), c.close()]);
  });
});
