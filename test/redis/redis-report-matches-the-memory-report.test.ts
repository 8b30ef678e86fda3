import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService, type PresenceService } from '../../src/service/index';
import { createRedisHistoryStore, createRedisPresenceStore, type RedisPresenceOptions } from '../../src/redis/index';
import { resolveLayout } from '../../src/redis/redisLayout';
import { REDIS_TARGETS, useRedisTargets } from '../helpers/redisTarget';
import { recordingScheduler } from '../helpers/service';

const redis = useRedisTargets();

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 }, agents: { a2: { capacity: 50 } } });
let prefixes = 0;
const options = (extra: RedisPresenceOptions = {}): RedisPresenceOptions => ({ keyPrefix: `rp${++prefixes}:`, ...extra });

const day = [
  ['a1', { type: 'signIn', at: 1_000 }],
  ['a1', { type: 'workAssigned', workItemId: 'c1', units: 50, at: 2_000 }],
  ['a2', { type: 'signIn', at: 2_500 }],
  ['a1', { type: 'workAssigned', workItemId: 'c2', units: 50, at: 3_000 }],
  ['a1', { type: 'workAssigned', workItemId: 'c2', units: 50, at: 3_100 }], // refused: held already
  ['a2', { type: 'workAssigned', workItemId: 'c3', units: 25, at: 3_500 }],
  ['a1', { type: 'workReleased', workItemId: 'c2', wrapUpMs: 1_000, at: 5_000 }],
  ['a1', { type: 'heartbeat', at: 5_500 }],
  ['a1', { type: 'tick', at: 6_000 }], // the wrap-up ends: 50 units fewer, no work event
  ['a1', { type: 'workMissed', workItemId: 'o1', at: 6_200 }],
  ['a2', { type: 'workRejected', workItemId: 'o2', at: 6_500 }],
  ['a1', { type: 'workReleased', workItemId: 'c1', at: 7_000 }],
  ['a2', { type: 'workReleased', workItemId: 'c3', at: 8_000 }],
  ['a1', { type: 'signOut', at: 9_000 }],
] as const;

const windows = [
  { from: 0, to: 10_000 },
  { from: 2_500, to: 6_100 },
  { from: 9_500, to: 12_000 },
];

describe.each(REDIS_TARGETS)('service.report over Redis (%s)', (kind) => {
  redis.use(kind);

  it('gives what the in-memory service gives, with the events sent through two processes', async () => {
    const opts = options();
    const make = () =>
      createPresenceService({
        machine,
        store: createRedisPresenceStore(redis.client, opts),
        history: createRedisHistoryStore(redis.client, opts),
        scheduler: recordingScheduler(),
      });
    const processes: PresenceService[] = [make(), make()];
    const reference = createPresenceService({ machine, scheduler: recordingScheduler() });
    for (const [i, [agentId, event]] of day.entries()) {
      await processes[i % 2]!.dispatch(agentId, event);
      await reference.dispatch(agentId, event);
    }
    for (const window of windows) {
      const request = { agentIds: ['a1', 'a2'], ...window };
      expect(await processes[1]!.report(request), JSON.stringify(window)).toEqual(await reference.report(request));
    }
    const everyone = await processes[0]!.report({ from: 0, to: 10_000 });
    expect(everyone.agents.map((a) => a.agentId).sort()).toEqual(['a1', 'a2']);
    expect(everyone.totals.work).toEqual({ assigned: 3, released: 3, missed: 1, rejected: 1 });
    expect(everyone.totals).toEqual((await reference.report({ agentIds: ['a1', 'a2'], from: 0, to: 10_000 })).totals);
  });

  it('writes the work entries with the save, in the capped history, and passes over entries it cannot read', async () => {
    const opts = options({ historyLimit: 4 });
    const history = createRedisHistoryStore(redis.client, opts);
    const service = createPresenceService({ machine, store: createRedisPresenceStore(redis.client, opts), history, scheduler: recordingScheduler() });
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    for (let i = 1; i <= 3; i++) await service.dispatch('a1', { type: 'workAssigned', workItemId: `c${i}`, units: 10, at: 1_000 + i * 1_000 });
    // The sign-in's change, then the Busy change and three work entries: the oldest dropped past four.
    const entries = await history.readWork!('a1', { from: 0, to: 10_000 });
    expect(entries.map((e) => [e.workItemId, e.used, e.version])).toEqual([
      ['c1', 10, 2],
      ['c2', 20, 3],
      ['c3', 30, 4],
    ]);
    expect(entries.every((e) => e.generation !== undefined && e.agentId === 'a1' && e.kind === 'assigned')).toBe(true);
    const key = resolveLayout('test', opts).historyKey('a1');
    await redis.client.sendCommand(['RPUSH', key, 'not json']);
    await redis.client.sendCommand(['RPUSH', key, JSON.stringify({ agentId: 'a1', version: 9, at: 6_000, used: 'lots', capacity: 100 })]);
    await redis.client.sendCommand(['RPUSH', key, JSON.stringify({ agentId: 'a1', version: 9, at: 6_000, used: 1, capacity: 100, kind: 'stolen' })]);
    expect((await history.readWork!('a1', { from: 0, to: 10_000 })).map((e) => e.workItemId)).toEqual(['c1', 'c2', 'c3']);
    const [a1] = (await service.report({ agentIds: ['a1'], from: 0, to: 10_000 })).agents;
    expect(a1!.work?.assigned).toBe(3);
    expect(a1!.unitMs?.used).toBe(10 * 1_000 + 20 * 1_000 + 30 * 6_000);
  });
});
