/**
 * A save that adds a work item and whose reply never comes in time (commandTimeoutMs; Redis paused with CLIENT PAUSE
 * just before the save, which runs only once the pause ends): a save of unknown outcome. Afterwards the item is held
 * by one agent at most, its claim is that agent's, the process's cached record does not mislead its next dispatch,
 * and once released the item routes again. On one server the save claims the item itself; the same runs with the
 * claim taken first, in steps, as on a Cluster (the store without `saveClaimingWork`).
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresenceStore, RedisUnavailableError, type RedisCommandClient } from '../../src/redis/index';
import { SAVE_CLAIMING_WORK_SCRIPT } from '../../src/redis/saveClaimingWorkScript';
import { SAVE_CLAIMED_SCRIPT } from '../../src/redis/workClaimScripts';
import { createPresenceService, type PresenceStore } from '../../src/service/index';
import { failureOf } from '../helpers/failureOf';
import { connectClient, useRedisServer, type RedisTestClient } from '../helpers/redisServer';

/** The file's own redis-server (its tests pause it) and a client to drive it. */
const redis = useRedisServer({ own: true });
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });

/** A client that pauses Redis (every client, 1.5 s) just before the first save giving claims sent once `armed`. */
const pausingBeforeClaimedSave = (client: RedisTestClient): RedisCommandClient & { armed: boolean } => {
  let paused = false;
  return {
    armed: false,
    sendCommand(args, options) {
      // On one server the save claims the item itself (SAVE_CLAIMING_WORK_SCRIPT); after a claim of its own, SAVE_CLAIMED_SCRIPT.
      const save = [SAVE_CLAIMED_SCRIPT, SAVE_CLAIMING_WORK_SCRIPT].some(
        (script) => (args[0] === 'EVALSHA' && args[1] === script.sha) || (args[0] === 'EVAL' && args[1] === script.source),
      );
      if (!save || paused || !this.armed) return client.sendCommand(args, options);
      paused = true;
      return redis.client.sendCommand(['CLIENT', 'PAUSE', '1500', 'ALL']).then(() => client.sendCommand(args, options));
    },
  };
};

/** The agents whose stored record holds the item. */
const holders = async (store: PresenceStore, agents: readonly string[], workItemId: string) => {
  const out: string[] = [];
  for (const agentId of agents) {
    const loaded = await store.load(agentId);
    if (loaded?.record.state.work.some((w) => w.workItemId === workItemId)) out.push(agentId);
  }
  return out;
};

/** One claimed save and its release first: Redis knows the save script, so the save paused is run, not refused NOSCRIPT. */
const warm = async (service: ReturnType<typeof createPresenceService>) => {
  await service.dispatch('a2', { type: 'workAssigned', workItemId: 'warm', units: 1 });
  await service.dispatch('a2', { type: 'workReleased', workItemId: 'warm' });
};

/** The store as a Cluster's is used: `claimWork`, then the save, then `freeWork`, each a step of its own. */
const inSteps = <T extends PresenceStore>(store: T): T => {
  const stepped = { ...store };
  delete stepped.saveClaimingWork;
  return stepped;
};

describe.each([
  { how: 'claimed in the save', steps: false },
  { how: 'claimed in steps', steps: true },
])('a save adding an item whose reply is lost (commandTimeoutMs), $how', ({ steps }) => {
  const made = <T extends PresenceStore>(store: T): T => (steps ? inSteps(store) : store);

  it('leaves the item with the one agent the save gave it to, its claim theirs; it routes again once released', async () => {
    const raw = await connectClient(redis.server.url);
    const prefix = `lost1${steps ? 's' : ''}:`;
    try {
      const pausing = pausingBeforeClaimedSave(raw);
      const store = made(createRedisPresenceStore(pausing, { keyPrefix: prefix, commandTimeoutMs: 200 }));
      const reported: string[] = [];
      const service = createPresenceService({ machine, store, onError: (_, context) => reported.push(`${context.kind} ${context.agentId}`) });
      await service.dispatch('a1', { type: 'signIn' });
      await service.dispatch('a2', { type: 'signIn' });
      await warm(service);
      pausing.armed = true;
      const assign = { type: 'workAssigned', workItemId: 'w1', units: 10, eventId: 'e-w1' } as const;
      const error = await failureOf(service.dispatch('a1', assign));
      expect(error).toBeInstanceOf(RedisUnavailableError);
      await redis.client.sendCommand(['PING']); // answered once the pause is over: the save has run by then
      // In steps, freeing the claim after the failed save timed out too (told to onError): the claim stays, as it must.
      // Claimed in the save, there is nothing to free: a claim is made only with the record that holds the item.
      expect(reported).toEqual(steps ? ['claim a1'] : []);
      // One holder, and the claim is theirs.
      expect(await holders(store, ['a1', 'a2'], 'w1')).toEqual(['a1']);
      expect(await redis.client.sendCommand(['HGET', `${prefix}{w:w1}:claim`, 'a'])).toBe('a1');
      // Another agent is refused, naming the holder; route stops at itemTaken.
      const other = await service.dispatch('a2', { type: 'workAssigned', workItemId: 'w1', units: 10 });
      expect(other.rejection?.code).toBe('WORK_ITEM_TAKEN');
      expect(other.rejection?.message).toContain('is held by agent "a1"');
      expect(await service.route({ workItemId: 'w1', units: 10 }, { spread: 1 })).toMatchObject({ routed: false, reason: 'itemTaken' });
      // The event sent again is a redelivery of the save that was written (the cached record did not mislead it).
      const again = await service.dispatch('a1', assign);
      expect(again).toMatchObject({ duplicate: true });
      expect(again.state.work.map((w) => w.workItemId)).toEqual(['w1']);
      // Released, it is free and routes again.
      await service.dispatch('a1', { type: 'workReleased', workItemId: 'w1' });
      expect(await redis.client.sendCommand(['EXISTS', `${prefix}{w:w1}:claim`])).toBe(0);
      const routed = await service.route({ workItemId: 'w1', units: 10 }, { spread: 1, exclude: ['a1'] });
      expect(routed).toMatchObject({ routed: true, agentId: 'a2' });
      await service.close();
    } finally {
      await raw.close();
    }
  }, 15_000);

  it('past the claim lease, a second process racing for the item: still one holder, and the claim is that holder’s', async () => {
    const raw = await connectClient(redis.server.url);
    const rawB = await connectClient(redis.server.url);
    const prefix = `lost2${steps ? 's' : ''}:`;
    try {
      const pausing = pausingBeforeClaimedSave(raw);
      const storeA = made(createRedisPresenceStore(pausing, { keyPrefix: prefix, commandTimeoutMs: 200, claimLeaseMs: 100 }));
      const storeB = made(createRedisPresenceStore(rawB, { keyPrefix: prefix, commandTimeoutMs: 5_000, claimLeaseMs: 100 }));
      const a = createPresenceService({ machine, store: storeA, onError: () => {} });
      const b = createPresenceService({ machine, store: storeB });
      await a.dispatch('a1', { type: 'signIn' });
      await b.dispatch('a2', { type: 'signIn' });
      await warm(b);
      pausing.armed = true;
      const lost = failureOf(a.dispatch('a1', { type: 'workAssigned', workItemId: 'w1', units: 10 }));
      // Sent while Redis is paused (the pause is taken before the save is sent), answered after.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const raced = await b.dispatch('a2', { type: 'workAssigned', workItemId: 'w1', units: 10 });
      expect(await lost).toBeInstanceOf(RedisUnavailableError);
      const held = await holders(storeB, ['a1', 'a2'], 'w1');
      expect(held).toHaveLength(1);
      expect(await redis.client.sendCommand(['HGET', `${prefix}{w:w1}:claim`, 'a'])).toBe(held[0]);
      expect(raced.rejection === undefined).toBe(held[0] === 'a2');
      await a.close();
      await b.close();
    } finally {
      await raw.close();
      await rawB.close();
    }
  }, 15_000);

  it('when the save was not written (its script unknown to Redis, NOSCRIPT unheard): nobody holds the item, and it routes (in steps, once the claim’s lease passes)', async () => {
    const raw = await connectClient(redis.server.url);
    const prefix = `lost3${steps ? 's' : ''}:`;
    try {
      await redis.client.sendCommand(['SCRIPT', 'FLUSH']);
      const pausing = pausingBeforeClaimedSave(raw);
      pausing.armed = true;
      const store = made(createRedisPresenceStore(pausing, { keyPrefix: prefix, commandTimeoutMs: 200, claimLeaseMs: 300 }));
      const service = createPresenceService({ machine, store, onError: () => {} });
      await service.dispatch('a1', { type: 'signIn' });
      await service.dispatch('a2', { type: 'signIn' });
      expect(await failureOf(service.dispatch('a1', { type: 'workAssigned', workItemId: 'w1', units: 10 }))).toBeInstanceOf(RedisUnavailableError);
      await redis.client.sendCommand(['PING']);
      expect(await holders(store, ['a1', 'a2'], 'w1')).toEqual([]);
      // In steps, the claim left behind (its free timed out too) is past its lease by now: taken over, the item routes.
      // Claimed in the save, nothing was claimed: the item routes at once.
      expect(await redis.client.sendCommand(['HGET', `${prefix}{w:w1}:claim`, 'a'])).toBe(steps ? 'a1' : null);
      const routed = await service.route({ workItemId: 'w1', units: 10 }, { spread: 1, exclude: ['a1'] });
      expect(routed).toMatchObject({ routed: true, agentId: 'a2' });
      expect(await holders(store, ['a1', 'a2'], 'w1')).toEqual(['a2']);
      expect(await redis.client.sendCommand(['HGET', `${prefix}{w:w1}:claim`, 'a'])).toBe('a2');
      await service.close();
    } finally {
      await raw.close();
    }
  }, 15_000);
});
