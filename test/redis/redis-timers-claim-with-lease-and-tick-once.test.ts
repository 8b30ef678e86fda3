import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { createRedisChangeStream, createRedisPresenceStore, createRedisTimers, type RedisPresenceOptions } from '../../src/redis/index';
import { REDIS_TARGETS, useRedisTargets } from '../helpers/redisTarget';
import { manualClock } from '../helpers/service';

const redis = useRedisTargets();

const TTL = 60_000;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: TTL } });

let prefixes = 0;
const options = (extra: RedisPresenceOptions = {}): RedisPresenceOptions => ({ keyPrefix: `tm${++prefixes}:`, leaseMs: 5_000, ...extra });

function setup(opts: RedisPresenceOptions) {
  const timers = createRedisTimers(redis.client, opts);
  const service = createPresenceService({ machine, store: createRedisPresenceStore(redis.client, opts), scheduler: timers.scheduler });
  return { timers, service };
}

describe.each(REDIS_TARGETS)('Redis timers (%s)', (kind) => {
  redis.use(kind);
  it("hold each agent's next deadline, written by the save, and none once nothing is pending", async () => {
    const opts = options();
    const { service } = setup(opts);
    const keys = createRedisPresenceStore(redis.client, opts).keysOf('a1');
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    expect(await redis.client.sendCommand(['HGET', keys.deadlines, 'a1'])).toBe(String(1_000 + TTL));
    expect(Number(await redis.client.sendCommand(['ZSCORE', keys.timers, 'a1']))).toBe(1_000 + TTL);
    await service.dispatch('a1', { type: 'heartbeat', at: 5_000 });
    expect(Number(await redis.client.sendCommand(['ZSCORE', keys.timers, 'a1']))).toBe(5_000 + TTL);
    await service.dispatch('a1', { type: 'signOut', at: 6_000 });
    expect(await redis.client.sendCommand(['HGET', keys.deadlines, 'a1'])).toBeNull();
    expect(await redis.client.sendCommand(['ZSCORE', keys.timers, 'a1'])).toBeNull();
  });

  it('are claimed atomically: processes claiming at once each get different agents, every due one once', async () => {
    const opts = options({ shards: 3 });
    const { service } = setup(opts);
    const agents = Array.from({ length: 60 }, (_, i) => `agent-${i}`);
    for (const agentId of agents) await service.dispatch(agentId, { type: 'signIn', at: 1_000 });
    await service.dispatch('late', { type: 'signIn', at: 500_000 });
    const claimers = Array.from({ length: 4 }, () => createRedisTimers(redis.client, opts));
    const claims = (await Promise.all(claimers.map((t) => t.claimDue(1_000 + TTL, 7)))).flat();
    const more = (await Promise.all(claimers.map((t) => t.claimDue(1_000 + TTL, 100)))).flat();
    const all = [...claims, ...more];
    expect(all.map((c) => c.agentId).sort()).toEqual([...agents].sort());
    expect(all.every((c) => c.deadline === 1_000 + TTL)).toBe(true);
  });

  it("never tick early for a runner whose clock runs ahead of Redis's: it claims by Redis's clock plus the skew, and says so", async () => {
    const opts = options();
    const { service } = setup(opts);
    const now = Date.now();
    await service.dispatch('a1', { type: 'signIn', at: now }); // its session expires at now + 60 s
    const fast = createRedisTimers(redis.client, opts);
    expect(await fast.claimDue(now + 10 * 60_000)).toEqual([]); // ten minutes fast: held to Redis's time + 10 s
    expect(await fast.claimDue(now + 10 * 60_000, 100, 120_000)).toEqual([{ agentId: 'a1', deadline: now + TTL }]); // a skew that allows it
    await service.dispatch('a1', { type: 'heartbeat', at: Date.now() });
    const errors: unknown[] = [];
    const runner = fast.run(service, { clock: { now: () => Date.now() + 10 * 60_000 }, pollMs: 20, onError: (error) => errors.push(error) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await runner.stop();
    expect((await service.get('a1')).state.signedIn).toBe(true);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/clock is \d+ ms ahead of Redis's, past maxClockSkewMs \(10000\)/);
    await expect(fast.claimDue(now, 100, -1)).rejects.toThrow('claimDue: maxClockSkewMs must be a finite number ≥ 0');
  });

  it("go back to any process once a claim's lease has run out without a tick (the claimer died)", async () => {
    const opts = options();
    const { service } = setup(opts);
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    const due = 1_000 + TTL;
    const crashed = createRedisTimers(redis.client, opts);
    expect(await crashed.claimDue(due)).toEqual([{ agentId: 'a1', deadline: due }]);
    const other = createRedisTimers(redis.client, opts);
    expect(await other.claimDue(due + 4_999)).toEqual([]); // still leased
    expect(await other.claimDue(due + 5_000)).toEqual([{ agentId: 'a1', deadline: due }]); // the same deadline again
  });

  it("keep a claim's lease when a save leaves the deadline where it was", async () => {
    const opts = options({ leaseMs: 10_000 });
    const { service, timers } = setup(opts);
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    expect(await timers.claimDue(1_000 + TTL)).toHaveLength(1);
    await service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000 }); // the session's expiry stays
    expect(await timers.claimDue(1_000 + TTL + 1)).toEqual([]);
  });

  it('send each due agent its tick once, however many processes run them (one stream entry per deadline)', async () => {
    const opts = options({ shards: 2 });
    const clock = manualClock(0);
    const processes = Array.from({ length: 3 }, () => setup(opts));
    for (let i = 0; i < 20; i++) await processes[i % 3]!.service.dispatch(`agent-${i}`, { type: 'signIn', at: 1_000 + i });
    clock.set(1_000 + TTL + 19);
    const runners = processes.map(({ timers, service }) => timers.run(service, { clock, pollMs: 5 }));
    // Each runner looks at once when started; runOnce waits for that look, then looks again.
    const sentAgain = await Promise.all(runners.map((r) => r.runOnce()));
    await Promise.all(runners.map((r) => r.stop()));
    expect(sentAgain).toEqual([0, 0, 0]);
    for (let i = 0; i < 20; i++) {
      const { presence } = await processes[0]!.service.get(`agent-${i}`);
      expect(presence, `agent-${i}`).toMatchObject({ presenceId: 'offline', source: 'expired', since: 1_000 + i + TTL });
    }
    const { entries } = await createRedisChangeStream(redis.client, opts).read({ count: 1_000 });
    const ticks = entries.filter((e) => e.eventId?.startsWith('tick@'));
    expect(ticks).toHaveLength(20);
    expect(new Set(ticks.map((e) => e.agentId)).size).toBe(20);
    expect(await createRedisTimers(redis.client, opts).claimDue(Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('tick an agent whose deadline a process just saved without waiting for the next poll (the scheduler wakes it)', async () => {
    const opts = options();
    const { service, timers } = setup(opts);
    const runner = timers.run(service, { pollMs: 60_000 });
    const now = Date.now();
    await service.dispatch('a1', { type: 'signIn', at: now - TTL + 30 }); // expires in 30 ms
    for (let i = 0; i < 200 && (await service.get('a1')).presence.source !== 'expired'; i++) await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    expect((await service.get('a1')).presence).toMatchObject({ presenceId: 'offline', source: 'expired' });
  });

  it('tell onError about a tick that failed, and leave its claim to be retaken after the lease', async () => {
    const opts = options();
    const { service, timers } = setup(opts);
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    const errors: [unknown, string | undefined][] = [];
    const failing = { dispatch: () => Promise.reject(new Error('store down')) };
    const clock = manualClock(1_000 + TTL);
    const runner = timers.run(failing, { clock, pollMs: 60_000, onError: (e, agentId) => errors.push([e, agentId]) });
    expect(await runner.runOnce()).toBe(0); // its first look claimed a1 and failed to tick it
    await runner.stop();
    const retry = timers.run(service, { clock, pollMs: 60_000 });
    expect(await retry.runOnce()).toBe(0); // leased
    expect((await service.get('a1')).presence.presenceId).toBe('available'); // not ticked yet
    clock.advance(5_000);
    expect(await retry.runOnce()).toBe(1);
    await retry.stop();
    expect(errors.map(([e, agentId]) => [(e as Error).message, agentId])).toContainEqual(['store down', 'a1']);
    expect((await service.get('a1')).presence.source).toBe('expired');
  });
});
