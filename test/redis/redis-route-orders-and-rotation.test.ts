import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { REDIS_TARGETS, useRedisTargets } from '../helpers/redisTarget';

// The orders on the roster kept in Redis, each from a process that saved nothing (so it answers from Redis
// alone), the round-robin rotation, shared by every process through one key (in another slot than the shards' on a
// Cluster), and routers in several services at once.

const redis = useRedisTargets();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
let prefixes = 0;

function processOn(keyPrefix: string, shards = 3) {
  const adapters = createRedisPresence(redis.client, { keyPrefix, shards });
  return createPresenceService({ machine, ...adapters.ports, onError: () => {} });
}
const ids = (found: readonly { agentId: string }[]) => found.map((c) => c.agentId);

describe.each(REDIS_TARGETS)('route and findAvailable orders on Redis (%s)', (kind) => {
  redis.use(kind);

  it('ranks by each order from the roster in Redis, the last work ended and the last item routed included', async () => {
    const prefix = `route-orders${++prefixes}:`;
    const writer = processOn(prefix);
    const router = processOn(prefix);
    for (const id of ['d', 'b', 'a', 'c']) await writer.dispatch(id, { type: 'signIn', at: 1_000 });
    await writer.dispatch('a', { type: 'workAssigned', workItemId: 'i1', units: 10, at: 3_000 });
    await writer.dispatch('b', { type: 'workAssigned', workItemId: 'i2', units: 10, at: 2_000 });
    await writer.dispatch('b', { type: 'workAssigned', workItemId: 'i3', units: 10, at: 2_500 });
    await writer.dispatch('b', { type: 'workReleased', workItemId: 'i2', at: 4_000 }); // b: still Busy, work ended at 4000
    expect(ids(await router.findAvailable({ order: 'roundRobin' }))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(await router.findAvailable({ order: 'roundRobin', after: 'b' }))).toEqual(['c', 'd', 'a', 'b']);
    expect(ids(await router.findAvailable({ order: 'roundRobin', after: 'b', limit: 2 }))).toEqual(['c', 'd']);
    expect((await router.findAvailable({ order: 'leastRecentlyOffered' })).map((c) => [c.agentId, c.lastRoutedAt])).toEqual([
      ['c', undefined],
      ['d', undefined],
      ['b', 2_500],
      ['a', 3_000],
    ]);
    expect((await router.findAvailable({ order: 'longestIdle' })).map((c) => [c.agentId, c.idleSince])).toEqual([
      ['c', 1_000],
      ['d', 1_000],
      ['a', 3_000],
      ['b', 4_000],
    ]);
    expect(ids(await router.findAvailable({ order: 'longestIdle', exclude: ['c', 'a'] }))).toEqual(['d', 'b']);
    await Promise.all([writer.close(), router.close()]);
  });

  it('shares the round-robin rotation between processes: each route moves it on for all', async () => {
    const prefix = `route-rotation${++prefixes}:`;
    const [one, two] = [processOn(prefix), processOn(prefix)];
    for (const id of ['a', 'b', 'c']) await one.dispatch(id, { type: 'signIn', at: 1_000 });
    const routed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await (i % 2 === 0 ? one : two).route({ workItemId: `w${i}`, units: 1 }, { order: 'roundRobin', spread: 1 });
      if (result.routed) routed.push(result.agentId);
    }
    expect(routed).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    await Promise.all([one.close(), two.close()]);
  });

  it('routers in four services at once give every item to one agent, none past capacity', async () => {
    const prefix = `route-race${++prefixes}:`;
    const routers = [0, 1, 2, 3].map(() => processOn(prefix));
    const agents = Array.from({ length: 20 }, (_, i) => `agent-${i}`);
    for (const id of agents) await routers[0]!.dispatch(id, { type: 'signIn', at: 1_000 });
    // 20 agents × 2 items of 50 units: 40 slots for 48 items.
    const outcomes = await Promise.all(
      routers.map(async (router, r) => {
        const mine = [];
        for (let i = 0; i < 12; i++) mine.push(await router.route({ workItemId: `r${r}-${i}`, units: 50 }));
        return mine;
      }),
    );
    const routed = outcomes.flat().filter((o) => o.routed);
    expect(routed).toHaveLength(40);
    const held = new Map<string, string[]>();
    for (const id of agents)
      held.set(
        id,
        (await routers[0]!.get(id)).state.work.map((w) => w.workItemId),
      );
    for (const [id, items] of held) expect(items.length, id).toBe(2);
    expect([...held.values()].flat().sort()).toEqual(routed.map((o) => (o.routed ? o.result.state.work.at(-1)!.workItemId : '')).sort());
    // The others found nobody with room, or only agents who filled up before their assignment landed.
    for (const o of outcomes.flat()) if (!o.routed) expect(['noEligibleAgent', 'allDeclined']).toContain(o.reason);
    await Promise.all(routers.map((router) => router.close()));
  });

  it("moves a roster entry of the earlier layout (two orders) over to the four orders at the agent's next save", async () => {
    const prefix = `route-layout${++prefixes}:`;
    const adapters = createRedisPresence(redis.client, { keyPrefix: prefix, shards: 1 });
    const service = createPresenceService({ machine, ...adapters.ports, onError: () => {} });
    await service.dispatch('ana', { type: 'signIn', at: 1_000 });
    const roster = adapters.store.keysOf('ana').roster;
    const send = (args: string[]) => redis.client.sendCommand(args);
    const [bucket, f, i, o, n] = JSON.parse((await send(['HGET', roster, 'ana'])) as string) as string[];
    // As the earlier layout left it: the entry names two members, and the agent is in no o or n sorted set.
    await send(['HSET', roster, 'ana', JSON.stringify([bucket, f, i])]);
    await send(['ZREM', `${roster}:o:${bucket}`, o!]);
    await send(['ZREM', `${roster}:n:${bucket}`, n!]);
    expect(await service.findAvailable({ order: 'roundRobin' })).toEqual([]);
    await service.dispatch('ana', { type: 'workAssigned', workItemId: 'c1', units: 10, at: 2_000 });
    const after = JSON.parse((await send(['HGET', roster, 'ana'])) as string) as string[];
    expect(after).toHaveLength(5);
    expect((await service.findAvailable({ order: 'roundRobin' })).map((c) => c.agentId)).toEqual(['ana']);
    expect((await service.findAvailable({ order: 'leastRecentlyOffered' })).map((c) => [c.agentId, c.lastRoutedAt])).toEqual([['ana', 2_000]]);
    // Nothing of the old place is left behind in any order.
    for (const order of ['f', 'i', 'o', 'n']) expect(await send(['ZCARD', `${roster}:${order}:${bucket}`]), order).toBe(0);
    await service.close();
  });
});
