/**
 * On one redis-server, a dispatch that adds or removes a work item is one command: the save script claims the items
 * it adds and frees those it removes, after its compare-and-set and atomically with it (`saveClaimingWork`), keeping
 * one item, one agent: a refusal (WORK_ITEM_TAKEN) is one command too and writes nothing; a stale claim is taken over
 * in the save, its holder's token fenced beside the holder's record (named by the script from the holder's shard), so
 * that the holder's late save under it is refused. A store over a Cluster (`clusterCommandClient`) claims in steps.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { clusterCommandClient, createRedisPresence, createRedisPresenceStore, type RedisPresenceOptions } from '../../src/redis/index';
import { fencesKey } from '../../src/redis/createRedisWorkClaims';
import { resolveLayout } from '../../src/redis/redisLayout';
import { createPresenceService } from '../../src/service/index';
import { countingClient } from '../helpers/countingClient';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, maxWorkItems: 50 } });
const LEASE_MS = 150;
let prefixes = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const assign = (workItemId: string): PresenceEvent => ({ type: 'workAssigned', workItemId, units: 1, at: Date.now() });
const release = (workItemId: string): PresenceEvent => ({ type: 'workReleased', workItemId, at: Date.now() });

/** A process: a client counting its commands, its adapters, its service. */
function processOn(options: RedisPresenceOptions) {
  const counting = countingClient(redis.client);
  const adapters = createRedisPresence(counting.client, options);
  const errors: unknown[] = [];
  const service = createPresenceService({ machine, ...adapters.ports, onError: (error) => errors.push(error) });
  /** The commands sent while `run` runs; nothing may have gone to onError. */
  const commands = async (run: () => Promise<unknown>): Promise<string[]> => {
    const { sent } = await counting.during(run);
    expect(errors).toEqual([]);
    return sent;
  };
  const claimKey = (workItemId: string) => `${options.keyPrefix}{w:${workItemId}}:claim`;
  return { store: adapters.store, service, commands, claimKey };
}

/** Each process's first save claiming work loads the script (EVAL after NOSCRIPT), so that the counts below are the common case. */
async function warmUp(process: ReturnType<typeof processOn>): Promise<void> {
  await process.service.dispatch('warm-up', { type: 'signIn' });
  await process.service.dispatch('warm-up', assign('warm'));
  await process.service.dispatch('warm-up', release('warm'));
}

describe('on one redis-server, a dispatch that adds or removes work items', () => {
  it('is one command: the save claims the item it adds and frees the item it removes', async () => {
    const options = { keyPrefix: `one-trip${++prefixes}:`, shards: 4, claimLeaseMs: LEASE_MS };
    const a = processOn(options);
    await warmUp(a);
    await a.service.dispatch('a1', { type: 'signIn' });
    expect(await a.commands(() => a.service.dispatch('a1', assign('c1')))).toEqual(['EVALSHA']);
    expect(await redis.client.sendCommand(['HGET', a.claimKey('c1'), 'a'])).toBe('a1');
    expect(await a.commands(() => a.service.dispatch('a1', assign('c2')))).toEqual(['EVALSHA']);
    expect(await a.commands(() => a.service.dispatch('a1', release('c1')))).toEqual(['EVALSHA']);
    expect(await redis.client.sendCommand(['EXISTS', a.claimKey('c1')])).toBe(0);
    expect(await redis.client.sendCommand(['HGET', a.claimKey('c2'), 'a'])).toBe('a1');
    // The release fenced the token it freed beside a1's record, as freeWork does (bounded in time).
    expect(Number(await redis.client.sendCommand(['PTTL', fencesKey(resolveLayout('test', options), 'a1')]))).toBeGreaterThan(0);
    expect((await a.service.get('a1')).state.work.map((w) => w.workItemId)).toEqual(['c2']);
  });

  it('is one command when refused (another agent holds the item, or is being given it), and writes nothing', async () => {
    const options = { keyPrefix: `one-trip${++prefixes}:`, shards: 4, claimLeaseMs: 60_000 };
    const a = processOn(options);
    await warmUp(a);
    for (const id of ['a1', 'a2']) await a.service.dispatch(id, { type: 'signIn' });
    await a.service.dispatch('a1', assign('c1'));
    const keys = a.store.keysOf('a2');
    const stored = async () => [
      await redis.client.sendCommand(['HMGET', keys.record, 'v', 'r']),
      await redis.client.sendCommand(['XLEN', keys.stream]),
      await redis.client.sendCommand(['HGETALL', a.claimKey('c1')]),
    ];
    const before = await stored();
    let refusal: string | undefined;
    expect(
      await a.commands(async () => {
        refusal = (await a.service.dispatch('a2', { ...assign('c1'), eventId: 'e1' })).rejection?.message;
      }),
    ).toEqual(['EVALSHA']);
    expect(refusal).toBe(
      'Agent "a2": workItemId "c1" is held by agent "a1" (a work item goes to one agent at a time): release it from "a1" first, or assign another item',
    );
    expect(await stored()).toEqual(before);
    // A claim in flight (claimWork, not saved yet) refuses too, named as such.
    expect((await a.store.claimWork!('a3', ['c2'])).ok).toBe(true);
    expect(
      await a.commands(async () => {
        refusal = (await a.service.dispatch('a2', assign('c2'))).rejection?.message;
      }),
    ).toEqual(['EVALSHA']);
    expect(refusal).toContain('workItemId "c2" is being assigned to agent "a3"');
    expect(await stored()).toEqual(before);
  });

  it("takes a stale claim over in the save, fencing the holder's token beside the holder's record, whatever shard the holder's id falls in", async () => {
    const options = { keyPrefix: `one-trip${++prefixes}:`, shards: 7, claimLeaseMs: LEASE_MS };
    const a = processOn(options);
    await warmUp(a);
    await a.service.dispatch('taker', { type: 'signIn' });
    // Holders whose routers claimed and died before saving: ids of every kind, over the 7 shards.
    const holders = [
      'a',
      'agent-7',
      'Ágent',
      'agent ☎',
      'エージェント',
      'agent-\u{1F600}',
      'x'.repeat(200),
      ...Array.from({ length: 13 }, (_, i) => `h${i * 7919}`),
    ];
    expect(new Set(holders.map((id) => a.store.keysOf(id).shard)).size).toBe(7);
    const tokens = new Map<string, string>();
    for (const [i, holder] of holders.entries()) {
      const claimed = await a.store.claimWork!(holder, [`item-${i}`]);
      if (!claimed.ok) throw new Error(`item-${i} is ${claimed.holder}'s`);
      tokens.set(holder, claimed.claims[0]!.token);
    }
    await sleep(LEASE_MS + 50);
    const layout = resolveLayout('test', options);
    for (const [i, holder] of holders.entries()) {
      expect(await a.commands(() => a.service.dispatch('taker', assign(`item-${i}`)))).toEqual(['EVALSHA']);
      expect(await redis.client.sendCommand(['HGET', a.claimKey(`item-${i}`), 'a'])).toBe('taker');
      // The fence is where the holder's saves look for it (the key the store names in JavaScript).
      expect(await redis.client.sendCommand(['HEXISTS', fencesKey(layout, holder), `item-${i}\n${tokens.get(holder)!}`])).toBe(1);
    }
    // The first holder's router wakes up and saves under its claim: refused, nothing written.
    await a.service.dispatch('a', { type: 'signIn' });
    const loaded = await a.store.load('a');
    const state = machine.transition(loaded!.record.state, assign('item-0')).state;
    const claims = [{ workItemId: 'item-0', token: tokens.get('a')! }];
    expect(await a.store.save('a', { state, seen: [] }, loaded!.version, { claims })).toMatchObject({ ok: false, conflict: true });
    expect((await a.store.load('a'))?.record.state.work).toEqual([]);
  });

  it('refuses a claim key of another type with WRONGTYPE naming it, and writes nothing', async () => {
    const options = { keyPrefix: `one-trip${++prefixes}:` };
    const a = processOn(options);
    await warmUp(a);
    await a.service.dispatch('a1', { type: 'signIn' });
    await redis.client.sendCommand(['SET', a.claimKey('c1'), 'garbage']);
    const version = (await a.store.load('a1'))?.version;
    await expect(a.service.dispatch('a1', assign('c1'))).rejects.toThrow(`WRONGTYPE agent-presence key ${a.claimKey('c1')} holds a string, not a hash`);
    expect((await a.store.load('a1'))?.version).toBe(version);
  });
});

describe('the Redis store', () => {
  it('saves claiming work on one server, and claims in steps over a Cluster (its claims and records in different slots)', () => {
    expect(typeof createRedisPresenceStore(redis.client).saveClaimingWork).toBe('function');
    const cluster = clusterCommandClient({ sendCommand: () => Promise.reject(new Error('not connected')) });
    const store = createRedisPresenceStore(cluster);
    expect(store.saveClaimingWork).toBeUndefined();
    expect(typeof store.claimWork).toBe('function');
  });
});
