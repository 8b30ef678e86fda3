import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type WorkAssignedEvent } from '../../src/index';
import { assignIfAvailable, createPresenceService } from '../../src/service/index';
import { createRedisChangeStream, createRedisPresenceStore, type RedisPresenceOptions } from '../../src/redis/index';
import { REDIS_TARGETS, useRedisTargets } from '../helpers/redisTarget';
import { recordingScheduler } from '../helpers/service';

const redis = useRedisTargets();

const machine = createPresenceMachine({ defaultProfile: { capacity: 100, maxWorkItems: 4 } });
const chats = { bases: ['Available', 'Busy'] } as const;
let prefixes = 0;
const options = (): RedisPresenceOptions => ({ keyPrefix: `as${++prefixes}:` });
const chat = (workItemId: string, units: number, at: number): WorkAssignedEvent => ({ type: 'workAssigned', workItemId, units, at });

describe.each(REDIS_TARGETS)('assignIfAvailable over Redis (%s)', (kind) => {
  redis.use(kind);
  it('lets routers in several services race for the same agents without going past capacity', async () => {
    const opts = options();
    const services = Array.from({ length: 4 }, () => {
      const service = createPresenceService({
        machine,
        store: createRedisPresenceStore(redis.client, opts),
        scheduler: recordingScheduler(),
        maxAttempts: 100,
      });
      return { service, follower: createRedisChangeStream(redis.client, opts).follow(service, { pollMs: 2 }) };
    });
    const agents = ['a1', 'a2', 'a3', 'a4', 'a5'];
    for (const id of agents) await services[0]!.service.dispatch(id, { type: 'signIn', at: 1_000 });
    await Promise.all(services.map(({ follower }) => follower.caughtUp()));
    // Rosters loaded beforehand, so the routers' first questions are answered from memory before any assignment lands.
    for (const { service } of services) expect(await service.findAvailable({ units: 30, ...chats, limit: 5, order: 'mostFree' })).toHaveLength(5);
    // Four routers at once, each asking its own roster (fed by the stream, so possibly stale) who has room and
    // assigning to the best. Their first answers are the same agent: only three of the four items fit.
    const results = (
      await Promise.all(
        services.map(async ({ service }, router) => {
          const outcomes: string[] = [];
          for (let n = 0; n < 20; n++) {
            const [best] = await service.findAvailable({ units: 30, ...chats, limit: 1, order: 'mostFree' });
            if (best === undefined) outcomes.push('nobody');
            else
              outcomes.push(
                (await assignIfAvailable(service, best.agentId, chat(`r${router}-c${n}`, 30, 2_000 + n), chats)).declined ? 'declined' : 'assigned',
              );
          }
          return outcomes;
        }),
      )
    ).flat();
    await Promise.all(services.map(({ follower }) => follower.stop()));
    for (const id of agents) {
      const { state } = await services[0]!.service.get(id);
      expect(
        state.work.reduce((sum, item) => sum + item.units, 0),
        id,
      ).toBe(90); // 3 × 30 fit in 100; never a fourth
    }
    expect(results.filter((r) => r === 'assigned')).toHaveLength(15); // a decline refreshes the roster: every slot is filled
    expect(results).toContain('declined'); // stale answers were caught at the compare-and-set
  });

  it('declines an agent whose presence is not one routing offers work in, and dispatch still forces it', async () => {
    const opts = options();
    const service = createPresenceService({ machine, store: createRedisPresenceStore(redis.client, opts), scheduler: recordingScheduler() });
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 1_500 });
    expect((await assignIfAvailable(service, 'a1', chat('c1', 10, 2_000), chats)).declined).toBe(true);
    expect((await assignIfAvailable(service, 'a1', chat('c1', 10, 2_000), { bases: ['Away'] })).declined).toBeUndefined();
    expect((await assignIfAvailable(service, 'a1', chat('c2', 95, 2_100), { bases: ['Away'] })).declined).toBe(true);
    const forced = await service.dispatch('a1', chat('c2', 95, 2_100));
    expect(forced.state.work.map((w) => w.units)).toEqual([10, 95]);
    await expect(assignIfAvailable(service, 'a1', chat('c3', 1, 3_000), { bases: [] })).rejects.toThrow(
      'assignIfAvailable: options.bases must be a non-empty array',
    );
  });
});
