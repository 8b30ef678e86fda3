import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryHistoryStore, createPresenceService, type PresenceChange } from '../../src/service/index';
import { createRedisHistoryStore, createRedisPresenceStore, type RedisPresenceOptions } from '../../src/redis/index';
import { useRedisServer } from '../helpers/redisServer';
import { recordingScheduler } from '../helpers/service';

const redis = useRedisServer();

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
let prefixes = 0;
const options = (extra: RedisPresenceOptions = {}): RedisPresenceOptions => ({ keyPrefix: `h${++prefixes}:`, ...extra });

describe('the Redis history', () => {
  it('gives timeInStatus what the in-memory history gives, across processes', async () => {
    const opts = options();
    const one = createPresenceService({
      machine,
      store: createRedisPresenceStore(redis.client, opts),
      history: createRedisHistoryStore(redis.client, opts),
      scheduler: recordingScheduler(),
    });
    const two = createPresenceService({
      machine,
      store: createRedisPresenceStore(redis.client, opts),
      history: createRedisHistoryStore(redis.client, opts),
      scheduler: recordingScheduler(),
    });
    const reference = createPresenceService({ machine, history: createMemoryHistoryStore(), scheduler: recordingScheduler() });
    const events = [
      { type: 'signIn', at: 1_000 },
      { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000 },
      { type: 'setPresence', presenceId: 'away', at: 4_000 },
      { type: 'workReleased', workItemId: 'c1', at: 5_000 },
      { type: 'setPresence', presenceId: 'available', at: 7_500 },
      { type: 'signOut', at: 9_000 },
    ] as const;
    for (const [i, event] of events.entries()) {
      await (i % 2 === 0 ? one : two).dispatch('a1', event);
      await reference.dispatch('a1', event);
    }
    for (const window of [
      { from: 0, to: 10_000 },
      { from: 2_500, to: 8_000 },
      { from: 9_500, to: 12_000 },
    ]) {
      expect(await two.timeInStatus('a1', window), JSON.stringify(window)).toEqual(await reference.timeInStatus('a1', window));
    }
  });

  it("keeps each agent's latest historyLimit changes, with their versions, written with the save", async () => {
    const opts = options({ historyLimit: 3 });
    const service = createPresenceService({
      machine,
      store: createRedisPresenceStore(redis.client, opts),
      history: createRedisHistoryStore(redis.client, opts),
      scheduler: recordingScheduler(),
    });
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    for (let i = 1; i <= 5; i++) await service.dispatch('a1', { type: 'setPresence', presenceId: i % 2 ? 'away' : 'available', at: 1_000 + i * 1_000 });
    const changes: readonly PresenceChange[] = await createRedisHistoryStore(redis.client, opts).read('a1', { from: 0, to: 100_000 });
    expect(changes.map((c) => [c.version, c.to.presenceId, c.at])).toEqual([
      [4, 'away', 4_000],
      [5, 'available', 5_000],
      [6, 'away', 6_000],
    ]);
    const untracked = await service.timeInStatus('a1', { from: 0, to: 10_000 });
    expect(untracked.untracked).toBe(4_000);
  });

  it('passes over history entries that are not changes: the report of the agent is still given', async () => {
    const opts = options();
    const history = createRedisHistoryStore(redis.client, opts);
    const service = createPresenceService({ machine, store: createRedisPresenceStore(redis.client, opts), history, scheduler: recordingScheduler() });
    const reference = createPresenceService({ machine, history: createMemoryHistoryStore(), scheduler: recordingScheduler() });
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await reference.dispatch('a1', { type: 'signIn', at: 1_000 });
    const key = `${opts.keyPrefix}{0}:history:a1`;
    expect(await redis.client.lLen(key)).toBe(1);
    const garbage = [
      '{"schemaVersion"',
      'null',
      '[]',
      '{"at":"soon","version":2,"to":{"presenceId":"away","base":"Away"}}',
      '{"at":1500,"version":2,"to":{"presenceId":"x","base":"Lunch"}}',
    ];
    await redis.client.rPush(key, garbage);
    await service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 3_000 });
    await reference.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 3_000 });
    const window = { from: 0, to: 5_000 };
    expect(await service.timeInStatus('a1', window)).toEqual(await reference.timeInStatus('a1', window));
  });
});
