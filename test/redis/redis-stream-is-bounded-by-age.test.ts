/**
 * The change stream is bounded by length (`maxLen`) and by age (`maxAgeMs`): the follower of a writing process
 * trims each shard's entries older than `maxAgeMs` by Redis's clock (`XTRIM MINID ~`); a listen-only one does not.
 * Entries "from long ago" are written here with explicit ids (1970), so nothing waits for time to pass.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresence, type RedisPresenceOptions } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const OLD = 250;

/** A shard's stream holding OLD entries from 1970, then one save of now. */
async function agedStream(options: RedisPresenceOptions) {
  const redisAdapters = createRedisPresence(redis.client, options);
  const { stream } = redisAdapters.store.keysOf('a1');
  for (let i = 1; i <= OLD; i++) await redis.client.sendCommand(['XADD', stream, `${i}-0`, 'agent', 'old', 'version', '1', 'state', '{}']);
  const service = createPresenceService({ machine, ...redisAdapters.ports });
  await service.dispatch('a1', { type: 'signIn', at: 1_000 });
  return { redisAdapters, service, stream };
}

describe('the change stream bounded by age', () => {
  it('is trimmed of the entries older than maxAgeMs by a writing process, and the new ones are kept', async () => {
    const { redisAdapters, service, stream } = await agedStream({ keyPrefix: 'aged:', maxAgeMs: 3_600_000 });
    const { follower } = redisAdapters.start(service, { timers: { pollMs: 60_000 } });
    await follower.caughtUp();
    const length = await redis.client.sendCommand<number>(['XLEN', stream]);
    expect(length).toBeLessThan(OLD); // whole nodes (100 entries) of 1970 are gone; the node with the newest may stay
    const [newest] = await redis.client.sendCommand<[string, string[]][]>(['XREVRANGE', stream, '+', '-', 'COUNT', '1']);
    expect(newest![1].slice(0, 2)).toEqual(['agent', 'a1']);
    await redisAdapters.stop();
    await service.close();
  });

  it('is left alone by a listen-only process, and without maxAgeMs', async () => {
    for (const [options, how] of [
      [{ keyPrefix: 'aged-listen:', maxAgeMs: 3_600_000 }, 'listen'],
      [{ keyPrefix: 'aged-none:' }, 'start'],
    ] as const) {
      const { redisAdapters, service, stream } = await agedStream(options);
      const { follower } = how === 'listen' ? redisAdapters.listen(service) : redisAdapters.start(service, { timers: { pollMs: 60_000 } });
      await follower.caughtUp();
      expect(await redis.client.sendCommand(['XLEN', stream])).toBe(OLD + 1);
      await redisAdapters.stop();
      await service.close();
    }
  });

  it('an idle shard whose every entry aged out is no data loss and no gap: no resync, no new generation, no rebuild', async () => {
    // A shard nobody saved on for longer than maxAgeMs: the trim takes every entry (whole nodes, the last one too),
    // and the stream is left empty. The newest entry the follower read is gone, trimmed, not lost.
    const options = { keyPrefix: 'aged-idle:', maxAgeMs: 3_600_000 };
    const redisAdapters = createRedisPresence(redis.client, options);
    const { stream, generation } = redisAdapters.store.keysOf('a1');
    const service = createPresenceService({ machine, ...redisAdapters.ports });
    const made = '000000000001000-0123abcd';
    await redis.client.sendCommand(['SET', generation, made]);
    for (let i = 1; i <= OLD; i++) await redis.client.sendCommand(['XADD', stream, `${i}-0`, 'agent', 'old', 'version', String(i), 'quiet', '1']);
    const errors: unknown[] = [];
    let resyncs = 0;
    let rebuilds = 0;
    const counted = Object.assign(Object.create(service) as typeof service, {
      resync: () => {
        resyncs++;
        return service.resync();
      },
      rebuildRoster: () => {
        rebuilds++;
        return service.rebuildRoster();
      },
    });
    const heard: string[] = [];
    service.subscribe((c) => heard.push(`${c.agentId} v${c.version} ${c.to.presenceId}`));
    const follower = redisAdapters.changes.follow(counted, { from: '0', onError: (e) => errors.push(e) });
    await follower.caughtUp(); // read to 250-0, then every entry trimmed by age
    expect(await redis.client.sendCommand(['XLEN', stream])).toBe(0);
    await follower.caughtUp();
    await follower.caughtUp();
    // The next save after the follower's trimmed position is no gap: nothing it had not read was trimmed.
    const writer = createPresenceService({ machine, ...createRedisPresence(redis.client, options).ports });
    await writer.dispatch('a1', { type: 'signIn', at: 1_000 });
    await follower.caughtUp();
    await follower.stop();
    expect(heard).toEqual(['a1 v1 available']);
    expect(errors).toEqual([]);
    expect(resyncs).toBe(0);
    expect(rebuilds).toBe(0);
    expect(await redis.client.sendCommand(['GET', generation])).toBe(made);
    await service.close();
  });

  it('entries added and trimmed between two reads of a caught-up follower are still a gap: the roster is rebuilt', async () => {
    const redisAdapters = createRedisPresence(redis.client, { keyPrefix: 'aged-gap:' });
    const service = createPresenceService({ machine, ...redisAdapters.ports });
    const { stream } = redisAdapters.store.keysOf('a1');
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    let rebuilds = 0;
    const counted = Object.assign(Object.create(service) as typeof service, {
      rebuildRoster: () => {
        rebuilds++;
        return service.rebuildRoster();
      },
    });
    const follower = redisAdapters.changes.follow(counted, { from: '0' });
    await follower.caughtUp();
    // At once, for the follower: 300 entries added, then all but the newest node's trimmed.
    const script = `for i = 1, 300 do redis.call('XADD', KEYS[1], '*', 'agent', 'x', 'version', tostring(i), 'quiet', '1') end
      return redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', 50)`;
    await redis.client.sendCommand(['EVAL', script, '1', stream]);
    await follower.caughtUp();
    await follower.stop();
    expect(rebuilds).toBe(1);
    await service.close();
  });

  it('refuses a maxAgeMs that is not a whole number ≥ 1, naming it', () => {
    expect(() => createRedisPresence(redis.client, { maxAgeMs: 0 })).toThrow(/maxAgeMs.*must be a whole number from 1/s);
    expect(() => createRedisPresence(redis.client, { maxAgeMs: 1.5 })).toThrow(/maxAgeMs.*got 1\.5/s);
  });
});
