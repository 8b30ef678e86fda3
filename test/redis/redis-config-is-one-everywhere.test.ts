/**
 * One config everywhere: a config published in Redis by any process is taken up by every process's service
 * (pushed to them), a process that has not taken it up yet cannot save with its older one (its save is refused,
 * it takes the new one up and applies the event again with it), and a config in Redis that cannot be used is
 * reported while the last good one is kept — and a shard already on it refuses saves rather than let a process
 * diverge.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, PresenceConfigError, type PresenceConfig } from '../../src/index';
import {
  createRedisPresence,
  RedisConfigError,
  type RedisConfigFollowOptions,
  type RedisConfigVersion,
  type RedisPresenceOptions,
} from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { connectClient, useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const TEN_MINUTES = 600_000;
const first: PresenceConfig = { defaultProfile: { capacity: 100 } };
const withCoffee: PresenceConfig = { ...first, presences: [{ id: 'coffee', name: 'Away – Coffee', base: 'Away' }] };
let prefixes = 0;

/** A process: its own client, service (made with a machine of its own), and its Redis adapters started. */
async function processOn(options: RedisPresenceOptions, config: RedisConfigFollowOptions = {}, role: 'start' | 'listen' = 'start') {
  const client = await connectClient(redis.server.url);
  const adapters = createRedisPresence(client, options);
  const service = createPresenceService({ machine: createPresenceMachine({ defaultProfile: { capacity: 7 } }), ...adapters.ports });
  const versions: number[] = [];
  const waiters: [number, () => void][] = [];
  const errors: unknown[] = [];
  const onChange = (current: RedisConfigVersion) => {
    versions.push(current.version);
    for (const [version, resolve] of waiters) if (current.version >= version) resolve();
  };
  const configOptions = { onChange, onError: (e: unknown) => errors.push(e), ...config };
  const started =
    role === 'start'
      ? adapters.start(service, { config: configOptions, timers: { pollMs: TEN_MINUTES } })
      : adapters.listen(service, { config: configOptions });
  return {
    adapters,
    service,
    versions,
    errors,
    follower: started.config!,
    /** Resolves once the service runs the version (or a later one). */
    runs: (version: number) => new Promise<void>((resolve) => (versions.some((v) => v >= version) ? resolve() : waiters.push([version, resolve]))),
    async close() {
      await adapters.stop();
      await service.close();
      await client.close();
    },
  };
}

describe('the config kept in Redis', () => {
  it('is taken up by every process, writing or listening, as it is published', async () => {
    const options = { keyPrefix: `config${prefixes++}:`, shards: 2 };
    const a = await processOn(options);
    const b = await processOn(options);
    const board = await processOn(options, {}, 'listen');
    expect(await a.adapters.config.publish(first, { expectedVersion: 0 })).toEqual({ version: 1, config: first });
    await Promise.all([a.runs(1), b.runs(1), board.runs(1)]);
    await a.adapters.config.publish(withCoffee);
    await Promise.all([a.runs(2), b.runs(2), board.runs(2)]);
    for (const p of [a, b, board]) {
      expect(p.service.machine.config).toEqual(withCoffee);
      expect(p.follower.version).toBe(2);
      expect(p.errors).toEqual([]);
    }
    // B saves with the presence only version 2 has, and the board hears it as B saved it.
    await b.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    const heard = new Promise((resolve) => board.service.subscribe((c) => c.to.presenceId === 'coffee' && resolve(c)));
    expect((await b.service.dispatch('a1', { type: 'setPresence', presenceId: 'coffee', at: 2_000 })).presence.presenceId).toBe('coffee');
    expect(await heard).toMatchObject({ agentId: 'a1', to: { presenceId: 'coffee', name: 'Away – Coffee' } });
    await Promise.all([a.close(), b.close(), board.close()]);
  });

  it('refuses a save made with an older config: the process takes the newer one up and applies the event again with it', async () => {
    const options = { keyPrefix: `config${prefixes++}:`, shards: 2 };
    const a = await processOn(options);
    // B hears of new configs only by reading every ten minutes: only its refused save can tell it in time.
    const b = await processOn(options, { blockingClient: null, pollMs: TEN_MINUTES });
    await a.adapters.config.publish(withCoffee);
    await Promise.all([a.runs(1), b.follower.refresh()]);
    expect(b.follower.version).toBe(1);
    await b.service.dispatch('a1', { type: 'signIn', at: 500 });
    await a.adapters.config.publish(first); // no 'coffee' any more
    expect(b.follower.version).toBe(1); // not heard of yet
    const result = await b.service.dispatch('a1', { type: 'setPresence', presenceId: 'coffee', at: 1_000 });
    // Applied again with version 2, which refuses it: version 1 would have saved it.
    expect(result.rejection?.code).toBe('UNKNOWN_PRESENCE');
    expect(b.follower.version).toBe(2);
    expect(b.service.machine.config).toEqual(first);
    expect((await a.adapters.store.load('a1'))?.record.state.presenceId).toBe('available');
    await Promise.all([a.close(), b.close()]);
  });

  it('reports a config in Redis that cannot be used and keeps the last good one; a shard on it refuses saves', async () => {
    const options = { keyPrefix: `config${prefixes++}:`, shards: 1 };
    const a = await processOn(options);
    await a.adapters.config.publish(withCoffee);
    await a.runs(1);
    const key = a.adapters.config.key;
    await redis.client.sendCommand(['XADD', key, '*', 'version', '2', 'config', '{"defaultProfile":{"capacity":-5}}']);
    await expect(a.follower.refresh()).rejects.toMatchObject({ name: 'RedisConfigError', reason: 'unreadable', version: 2 });
    expect(a.errors).toHaveLength(1);
    expect((a.errors[0] as Error).message).toMatch(/version 2 cannot be used.*capacity/s);
    expect((a.errors[0] as Error).cause).toBeInstanceOf(PresenceConfigError);
    expect(a.service.machine.config).toEqual(withCoffee); // the last good one
    await expect(a.adapters.config.read()).rejects.toBeInstanceOf(RedisConfigError);
    // Saves go on with version 1 while no shard is on version 2 …
    expect((await a.service.dispatch('a1', { type: 'signIn', at: 1_000 })).version).toBe(1);
    // … and are refused, naming why, once the shard is (as a process that could read version 2 would have it).
    await redis.client.sendCommand(['SET', `${options.keyPrefix}{0}:config`, '2']);
    await expect(a.service.dispatch('a1', { type: 'setPresence', presenceId: 'available', at: 2_000 })).rejects.toMatchObject({
      name: 'RedisConfigError',
      reason: 'stale',
      version: 2,
    });
    expect((await a.adapters.store.load('a1'))?.version).toBe(1); // nothing saved
    await a.close();
  });

  it('publishes only a good config, and only on top of the version expected', async () => {
    const options = { keyPrefix: `config${prefixes++}:` };
    const { config } = createRedisPresence(redis.client, options);
    await expect(config.publish({ defaultProfile: { capacity: -1 } })).rejects.toBeInstanceOf(PresenceConfigError);
    expect(await config.read()).toBeUndefined();
    await config.publish(first, { expectedVersion: 0 });
    await expect(config.publish(withCoffee, { expectedVersion: 0 })).rejects.toMatchObject({ name: 'RedisConfigError', reason: 'conflict', version: 1 });
    expect(await config.read()).toEqual({ version: 1, config: first });
    // Every shard is on it once publish resolves: a store that follows no config is refused, not left to diverge …
    const adapters = createRedisPresence(redis.client, options);
    const service = createPresenceService({ machine: createPresenceMachine(withCoffee), ...adapters.ports });
    await expect(service.dispatch('a1', { type: 'signIn', at: 1_000 })).rejects.toMatchObject({ name: 'RedisConfigError', reason: 'stale' });
    // … and a process that does not start (it only dispatches) follows it with config.follow: its saves then go through.
    const follower = adapters.config.follow(service, { blockingClient: null });
    expect((await service.dispatch('a1', { type: 'signIn', at: 1_000 })).version).toBe(1);
    expect(follower.version).toBe(1);
    expect(service.machine.config).toEqual(first);
    await follower.stop();
    await service.close();
  });
});
