/**
 * One item, one agent on Redis: an assignment of an item another agent holds is refused with WORK_ITEM_TAKEN and
 * writes nothing (no record, no stream entry, no history); a router that died between its claim and its save blocks
 * the item for the lease only; a save made under a claim taken over (or freed) meanwhile is refused; a released
 * item's claim is gone at once, and a free that never came is healed by the check of the holder's record. On one
 * redis-server and on a 3-master Cluster (the item's claim and the agent's record in different slots).
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createRedisPresenceStore, type RedisPresenceOptions } from '../../src/redis/index';
import { claimHeldWork, createPresenceService, type WorkClaim } from '../../src/service/index';
import { REDIS_TARGETS, useRedisTargets } from '../helpers/redisTarget';
import { recordingScheduler } from '../helpers/service';

const redis = useRedisTargets();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, maxWorkItems: 20 } });
const LEASE_MS = 200;
let prefixes = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const assign = (workItemId: string): PresenceEvent => ({ type: 'workAssigned', workItemId, units: 10, at: Date.now() });
const release = (workItemId: string): PresenceEvent => ({ type: 'workReleased', workItemId, at: Date.now() });

function setup() {
  const options: RedisPresenceOptions = { keyPrefix: `claim${++prefixes}:`, shards: 4, claimLeaseMs: LEASE_MS };
  const store = createRedisPresenceStore(redis.client, options);
  const service = createPresenceService({ machine, store, scheduler: recordingScheduler() });
  const claimKey = (workItemId: string) => `${options.keyPrefix}{w:${workItemId}}:claim`;
  /** A router of its own that claims and saves through the store, to stop it anywhere. */
  const router = {
    claim: async (agentId: string, workItemId: string): Promise<readonly WorkClaim[]> => {
      const claimed = await store.claimWork!(agentId, [workItemId]);
      if (!claimed.ok) throw new Error(`${workItemId} is ${claimed.holder}'s`);
      return claimed.claims;
    },
    /** Saves the agent's record with the event applied, giving `claims` (or none), without freeing anything. */
    save: async (agentId: string, event: PresenceEvent, claims?: readonly WorkClaim[]) => {
      const loaded = await store.load(agentId);
      const state = machine.transition(loaded!.record.state, event).state;
      return store.save(agentId, { state, seen: [] }, loaded!.version, claims === undefined ? {} : { claims });
    },
  };
  return { options, store, service, claimKey, router };
}

describe.each(REDIS_TARGETS)('one item, one agent on Redis (%s)', (kind) => {
  redis.use(kind);

  it('refuses an item another agent holds with WORK_ITEM_TAKEN, and writes nothing', async () => {
    const { options, store, service } = setup();
    await service.dispatch('a1', { type: 'signIn' });
    await service.dispatch('a2', { type: 'signIn' });
    expect((await service.dispatch('a1', assign('c1'))).rejection).toBeUndefined();
    const keys = store.keysOf('a2');
    const streams = [0, 1, 2, 3].map((shard) => `${options.keyPrefix}{${shard}}:changes`);
    const lengths = async () =>
      Promise.all([keys.history, ...streams].map(async (key) => Number(await redis.client.sendCommand([key === keys.history ? 'LLEN' : 'XLEN', key]))));
    const before = { record: await redis.client.sendCommand(['HGET', keys.record, 'r']), lengths: await lengths(), version: (await store.load('a2'))?.version };
    const refused = await service.dispatch('a2', { ...assign('c1'), eventId: 'e-taken' });
    expect(refused.rejection).toEqual({
      code: 'WORK_ITEM_TAKEN',
      message:
        'Agent "a2": workItemId "c1" is held by agent "a1" (a work item goes to one agent at a time): release it from "a1" first, or assign another item',
    });
    expect(refused.version).toBe(before.version);
    expect(await redis.client.sendCommand(['HGET', keys.record, 'r'])).toBe(before.record);
    expect(await lengths()).toEqual(before.lengths);
  });

  it('gives the item of a router that died between claim and save to another agent after the lease', async () => {
    const { service, router } = setup();
    await service.dispatch('a2', { type: 'signIn' });
    await router.claim('a1', 'c1'); // and never saves
    const refused = await service.dispatch('a2', assign('c1'));
    expect(refused.rejection?.message).toBe(
      'Agent "a2": workItemId "c1" is being assigned to agent "a1" (a work item goes to one agent at a time): wait for that assignment to end, or assign another item',
    );
    await sleep(LEASE_MS + 50);
    const taken = await service.dispatch('a2', assign('c1'));
    expect(taken.rejection).toBeUndefined();
    expect(taken.state.work.map((w) => w.workItemId)).toEqual(['c1']);
  });

  it('refuses the save of a router whose claim was taken over meanwhile (saved without its confirmation)', async () => {
    const { service, store, router } = setup();
    await service.dispatch('a1', { type: 'signIn' });
    await service.dispatch('a2', { type: 'signIn' });
    const slow = await router.claim('a1', 'c1');
    await sleep(LEASE_MS + 50);
    expect((await service.dispatch('a2', assign('c1'))).rejection).toBeUndefined();
    const version = (await store.load('a1'))?.version;
    // The slow router wakes up: its save adding c1 to a1 is a conflict, and writes nothing.
    expect(await router.save('a1', assign('c1'), slow)).toMatchObject({ ok: false, conflict: true, currentVersion: version });
    expect((await store.load('a1'))?.record.state.work).toEqual([]);
    expect((await service.dispatch('a1', assign('c1'))).rejection?.code).toBe('WORK_ITEM_TAKEN');
  });

  it('refuses a save under a claim freed meanwhile (a late free after the item was given to the agent again)', async () => {
    const { service, store, claimKey, router } = setup();
    await service.dispatch('a1', { type: 'signIn' });
    await service.dispatch('a2', { type: 'signIn' });
    await service.dispatch('a1', assign('c1'));
    // One process saves a1's release of c1 and is slow to free; another gives c1 to a1 again (the same claim).
    expect((await router.save('a1', release('c1'))).ok).toBe(true);
    const again = await router.claim('a1', 'c1');
    await store.freeWork!('a1', ['c1']); // the late free: a1's record does not hold c1 now
    expect(await redis.client.sendCommand(['EXISTS', claimKey('c1')])).toBe(0);
    expect((await router.save('a1', assign('c1'), again)).ok).toBe(false);
    // c1 is free, and goes to one agent.
    expect((await service.dispatch('a2', assign('c1'))).rejection).toBeUndefined();
    expect((await service.dispatch('a1', assign('c1'))).rejection?.code).toBe('WORK_ITEM_TAKEN');
  });

  it('claims the items of records saved without claims (before the upgrade) for their holders', async () => {
    const { service, store, claimKey } = setup();
    await service.dispatch('a2', { type: 'signIn' });
    const state = machine.transition(machine.transition(machine.initialState('a1'), { type: 'signIn', at: Date.now() }).state, assign('old-1')).state;
    expect((await store.save('a1', { state, seen: [] }, 0)).ok).toBe(true); // no claim: saved as an older release did
    expect(await redis.client.sendCommand(['EXISTS', claimKey('old-1')])).toBe(0);
    expect(await claimHeldWork(store)).toEqual({ agents: 2, claimed: 1, doubles: [] });
    expect(await redis.client.sendCommand(['HGET', claimKey('old-1'), 'a'])).toBe('a1');
    expect((await service.dispatch('a2', assign('old-1'))).rejection?.code).toBe('WORK_ITEM_TAKEN');
  });

  it("frees a released item's claim at once (the key gone, the fence bounded), and heals a free that never came", async () => {
    const { options, service, claimKey, router } = setup();
    for (const id of ['a1', 'a2']) await service.dispatch(id, { type: 'signIn' });
    await service.dispatch('a1', assign('c1'));
    expect(await redis.client.sendCommand(['HGET', claimKey('c1'), 'a'])).toBe('a1');
    await service.dispatch('a1', release('c1'));
    expect(await redis.client.sendCommand(['EXISTS', claimKey('c1')])).toBe(0);
    const fences = `${options.keyPrefix}{${createRedisPresenceStore(redis.client, options).keysOf('a1').shard}}:fences:a1`;
    expect(Number(await redis.client.sendCommand(['PTTL', fences]))).toBeGreaterThan(0);
    expect((await service.dispatch('a2', assign('c1'))).rejection).toBeUndefined();

    // a2 lets go of c1 through a process that dies before freeing: the claim stays, and blocks nobody after the lease.
    expect((await router.save('a2', release('c1'))).ok).toBe(true);
    expect(await redis.client.sendCommand(['HGET', claimKey('c1'), 'a'])).toBe('a2');
    await sleep(LEASE_MS + 50);
    expect((await service.dispatch('a1', assign('c1'))).rejection).toBeUndefined();
    // A holder whose record holds the item keeps it, however old the claim.
    await sleep(LEASE_MS + 50);
    expect((await service.dispatch('a2', assign('c1'))).rejection?.code).toBe('WORK_ITEM_TAKEN');
  });
});
