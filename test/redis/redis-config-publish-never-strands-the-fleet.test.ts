/**
 * A publish raises every shard's config version, after which a save made with an older config is refused. So a
 * publish must never leave the shards on a version that no follower can take up — else every save of every process
 * is refused until someone works out what happened:
 *
 * - a config stream deleted (as its WRONGTYPE message says to do, or to start over) while the shards stay on its
 *   last version: the next publish continues above every shard's version, not from 1;
 * - a config that followers refuse to read (larger than the 4 MiB they read: per-agent profiles for a big
 *   contact center reach that) is refused by publish, naming its size and the bound, and nothing is raised.
 *
 * And the roster kept in Redis, whose places the saves measured with the config before, is measured again with the
 * new one: a capacity raised offers at once the agents it makes room on (before: nobody, until each saved again).
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceConfig } from '../../src/index';
import { createRedisPresence, RedisConfigError } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const TEN_MINUTES = 600_000;
const first: PresenceConfig = { defaultProfile: { capacity: 100 } };
const withCoffee: PresenceConfig = { ...first, presences: [{ id: 'coffee', name: 'Away – Coffee', base: 'Away' }] };
let prefixes = 0;

/** A writing process on the shared client: its service, its Redis adapters started, what its followers told. */
function processOn(keyPrefix: string) {
  const adapters = createRedisPresence(redis.client, { keyPrefix, shards: 2 });
  const service = createPresenceService({ machine: createPresenceMachine(first), ...adapters.ports });
  const errors: unknown[] = [];
  const started = adapters.start(service, {
    config: { onError: (e) => errors.push(e) },
    follow: { onError: (e) => errors.push(e) },
    timers: { pollMs: TEN_MINUTES },
  });
  return {
    adapters,
    service,
    errors,
    config: started.config!,
    async close() {
      await adapters.stop();
      await service.close();
    },
  };
}

describe('publishing a config', () => {
  it('places every agent in the roster as the new config does: a capacity raised offers the agents with room at once', async () => {
    const keyPrefix = `place${prefixes++}:`;
    const small: PresenceConfig = { defaultProfile: { capacity: 10 } };
    const a = processOn(keyPrefix);
    await a.adapters.config.publish(small);
    await a.config.refresh();
    await a.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await a.service.dispatch('a2', { type: 'signIn', at: 1_000 });
    await a.service.dispatch('a2', { type: 'workAssigned', workItemId: 'w1', units: 10, at: 1_100 }); // full: out of the roster
    await a.service.dispatch('a3', { type: 'signIn', at: 1_000 });
    await a.service.dispatch('a3', { type: 'setPresence', presenceId: 'away', at: 1_200 });
    // A process that routes only, and follows the config.
    const router = createRedisPresence(redis.client, { keyPrefix, shards: 2 });
    const routing = createPresenceService({ machine: createPresenceMachine(small), ...router.ports });
    const following = router.config.follow(routing, { blockingClient: null, pollMs: TEN_MINUTES });
    await a.adapters.config.publish({ defaultProfile: { capacity: 100 } });
    await following.refresh();
    // (a2 stays BusyDND until its next event: the machine measures its presence at events.)
    const query = { units: 50, bases: ['Available', 'Busy', 'BusyDND'] as const, limit: 10 };
    for (const order of ['mostFree', 'longestIdle'] as const) {
      expect((await routing.findAvailable({ ...query, order })).map((c) => [c.agentId, c.freeUnits])).toEqual(
        order === 'mostFree'
          ? [
              ['a1', 100],
              ['a2', 90],
            ]
          : [
              ['a1', 100],
              ['a2', 90],
            ],
      );
    }
    // And back: a capacity lowered takes out the agents it fills.
    await a.adapters.config.publish({ defaultProfile: { capacity: 10 } });
    await following.refresh();
    expect((await routing.findAvailable({ units: 0, bases: ['Available', 'Busy', 'BusyDND'], limit: 10, order: 'mostFree' })).map((c) => c.agentId)).toEqual([
      'a1',
    ]);
    await following.stop();
    await routing.close();
    await a.close();
  });

  it('after the config stream was deleted, continues above the version every shard is on: saves go on', async () => {
    const keyPrefix = `reset${prefixes++}:`;
    const a = processOn(keyPrefix);
    await a.adapters.config.publish(first);
    await a.adapters.config.publish(withCoffee);
    await a.config.refresh();
    expect((await a.service.dispatch('a1', { type: 'signIn', at: 1_000 })).version).toBe(1);
    await redis.client.sendCommand(['DEL', a.adapters.config.key]);
    const published = await a.adapters.config.publish(first, { expectedVersion: 0 });
    expect(published.version).toBe(3);
    await a.config.refresh();
    // Both shards take saves again (a1 and a2 are on different ones).
    expect(a.adapters.store.keysOf('a1').shard).not.toBe(a.adapters.store.keysOf('a2').shard);
    expect((await a.service.dispatch('a1', { type: 'setPresence', presenceId: 'available', at: 2_000 })).version).toBe(2);
    expect((await a.service.dispatch('a2', { type: 'signIn', at: 2_000 })).version).toBe(1);
    expect(a.service.machine.config).toEqual(first);
    await a.close();
  });

  it('refuses a config its followers could not read (more than 4 MiB as JSON), naming the size; nothing is raised', async () => {
    const keyPrefix = `huge${prefixes++}:`;
    const a = processOn(keyPrefix);
    await a.adapters.config.publish(first);
    await a.config.refresh();
    // Per-agent profiles for 25,000 agents (ids of 120 characters): a config createPresenceMachine takes, about 5 MB as JSON.
    const agents = Object.fromEntries(
      Array.from({ length: 25_000 }, (_, i) => [`agent-${String(i).padStart(114, '0')}`, { capacity: 100, maxWorkItems: 5, defaultPresenceId: 'available' }]),
    );
    const huge: PresenceConfig = { ...first, agents };
    const refused = await a.adapters.config.publish(huge).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RedisConfigError);
    expect(refused).toMatchObject({ reason: 'unreadable' });
    expect((refused as Error).message).toMatch(/\d{7} characters.*4194304.*nothing was published/s);
    expect(await a.adapters.config.read()).toMatchObject({ version: 1 });
    expect(await redis.client.sendCommand(['GET', `${keyPrefix}{0}:config`])).toBe('1');
    expect((await a.service.dispatch('a1', { type: 'signIn', at: 1_000 })).version).toBe(1);
    expect(a.errors).toEqual([]);
    await a.close();
  });
});
