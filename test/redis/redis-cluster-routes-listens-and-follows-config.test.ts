/**
 * The scale-out pieces on a real 3-master Redis Cluster, through `clusterCommandClient` (16 shards, so every master
 * holds some): routing from the roster kept in Redis (one read-only script per shard, each sent to its slot's
 * master), a listen-only process (its reads `EVALSHA_RO`, routed by their first key, and no command that writes),
 * the config (its stream in a slot of its own; a publish raises every shard's version, each on its master), the
 * streams trimmed by age, and push: the followers wait on a cluster client of their own (`duplicate()`), so a change
 * or a config reaches a process whose polling is ten minutes apart.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceConfig } from '../../src/index';
import { clusterCommandClient, createRedisPresence, type RedisCommandClient } from '../../src/redis/index';
import { createPresenceService, type PresenceChange } from '../../src/service/index';
import { useRedisTarget } from '../helpers/redisTarget';

const redis = useRedisTarget('cluster');
const TEN_MINUTES = 600_000;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const withCoffee: PresenceConfig = { defaultProfile: { capacity: 100 }, presences: [{ id: 'coffee', name: 'Away – Coffee', base: 'Away' }] };
const available = { units: 0, bases: ['Available'] as const, limit: 100, order: 'mostFree' as const };
let prefixes = 0;

/** A client on the cluster of the test's own (a process of its own, as far as Redis can tell). */
async function processClient() {
  return redis.target.connect();
}

/** A client that records the commands sent on it (not those of the connection a follower waits on). */
function recording(client: RedisCommandClient & { duplicate?: () => RedisCommandClient }, sent: string[][]): RedisCommandClient {
  return {
    sendCommand: (args) => (sent.push(args), client.sendCommand(args)),
    ...(client.duplicate !== undefined ? { duplicate: client.duplicate.bind(client) } : {}),
  };
}

describe('on a 3-master Redis Cluster', () => {
  it('gives the followers a cluster client of their own to wait on', async () => {
    const client = redis.client as unknown as RedisCommandClient & { cluster: Parameters<typeof clusterCommandClient>[0]; duplicate?: () => unknown };
    expect(clusterCommandClient(client.cluster)).toBe(client);
    expect(typeof client.duplicate).toBe('function');
  });

  it('routes from the roster, and a listen-only process hears every change at once and sends nothing that writes', { timeout: 60_000 }, async () => {
    const options = { keyPrefix: `cluster-route${prefixes++}:`, shards: 16 };
    const writerClient = await processClient();
    const writer = createRedisPresence(writerClient, options);
    const writing = createPresenceService({ machine, ...writer.ports });

    const sent: string[][] = [];
    const boardClient = await processClient();
    const board = createRedisPresence(recording(boardClient, sent), options);
    const boardService = createPresenceService({ machine, ...board.ports });
    const heard: PresenceChange[] = [];
    boardService.subscribe((c) => heard.push(c));
    const errors: unknown[] = [];
    // Polling ten minutes apart: only a push wakes it.
    const { follower } = board.listen(boardService, { follow: { pollMs: TEN_MINUTES, blockMs: TEN_MINUTES, onError: (e) => errors.push(e) } });
    await follower.caughtUp();

    const agents = Array.from({ length: 40 }, (_, i) => `agent-${i}`);
    const shards = new Set(agents.map((a) => writer.store.keysOf(a).shard));
    expect(shards.size).toBeGreaterThan(8);
    for (const [i, agentId] of agents.entries()) {
      await writing.dispatch(agentId, { type: 'signIn', at: 1_000 + i });
      if (i % 4 === 0) await writing.dispatch(agentId, { type: 'workAssigned', workItemId: `w${i}`, units: 10 * (i % 7), at: 2_000 + i });
      if (i % 5 === 0) await writing.dispatch(agentId, { type: 'setPresence', presenceId: 'away', at: 3_000 + i });
    }
    const last = new Promise<PresenceChange>((resolve) => boardService.subscribe((c) => c.agentId === 'agent-39' && c.to.presenceId === 'busy' && resolve(c)));
    await writing.dispatch('agent-39', { type: 'workAssigned', workItemId: 'last', units: 10, at: 4_000 });
    await last;
    expect(errors).toEqual([]);

    // Routing from the roster in Redis, in every process alike, and as a full scan of the records says.
    const expected = (await Promise.all(agents.map(async (agentId) => ({ agentId, stored: await writer.store.load(agentId) }))))
      .filter(({ stored }) => machine.presenceOf(stored!.record.state).base === 'Available')
      .map(({ agentId }) => agentId)
      .sort();
    const routed = (await writing.findAvailable(available)).map((c) => c.agentId);
    expect([...routed].sort()).toEqual(expected);
    expect((await boardService.findAvailable(available)).map((c) => c.agentId)).toEqual(routed);
    expect(heard.filter((c) => c.agentId === 'agent-0').map((c) => c.to.presenceId)).toEqual(['available', 'busy', 'away']);

    // Nothing the board sent on its client can write.
    const names = [...new Set(sent.map((args) => args[0]!.toUpperCase()))].sort();
    for (const name of names) expect(['EVALSHA_RO', 'EVAL_RO', 'HMGET', 'XREVRANGE', 'XRANGE', 'SSCAN', 'CLIENT']).toContain(name);
    expect(names).toContain('EVALSHA_RO');
    await board.stop();
    await boardService.close();
    await writing.close();
    await Promise.all([writerClient.close(), boardClient.close()]);
  });

  it(
    "publishes a config: every shard's version raised on its master, and a process polling ten minutes apart takes it up at once",
    { timeout: 60_000 },
    async () => {
      const options = { keyPrefix: `cluster-config${prefixes++}:`, shards: 16 };
      const a = createRedisPresence(await processClient(), options);
      const bClient = await processClient();
      const b = createRedisPresence(bClient, options);
      const service = createPresenceService({ machine, ...b.ports });
      const versions: number[] = [];
      const started = b.start(service, {
        config: { pollMs: TEN_MINUTES, blockMs: TEN_MINUTES, onChange: (c) => versions.push(c.version) },
        timers: { pollMs: TEN_MINUTES },
      });
      await started.config!.refresh();
      const taken = new Promise<void>((resolve) => {
        const look = setInterval(() => versions.includes(1) && (clearInterval(look), resolve()), 5);
      });
      expect((await a.config.publish(withCoffee, { expectedVersion: 0 })).version).toBe(1);
      for (let shard = 0; shard < 16; shard++) expect(await redis.client.sendCommand(['GET', `${options.keyPrefix}{${shard}}:config`])).toBe('1');
      await taken;
      expect(service.machine.config).toEqual(withCoffee);
      await service.dispatch('a1', { type: 'signIn', at: 1_000 });
      expect((await service.dispatch('a1', { type: 'setPresence', presenceId: 'coffee', at: 1_500 })).presence.presenceId).toBe('coffee');
      await b.stop();
      await service.close();
      await bClient.close();
    },
  );

  it('trims every shard of the entries older than maxAgeMs, each on its master', async () => {
    const options = { keyPrefix: `cluster-aged${prefixes++}:`, shards: 16, maxAgeMs: 3_600_000 };
    const adapters = createRedisPresence(redis.client, options);
    const service = createPresenceService({ machine, ...adapters.ports });
    const streams = adapters.changes.streams;
    for (const stream of streams)
      for (let i = 1; i <= 150; i++) await redis.client.sendCommand(['XADD', stream, `${i}-0`, 'agent', 'old', 'version', String(i), 'quiet', '1']);
    const errors: unknown[] = [];
    const { follower } = adapters.start(service, { follow: { from: '0', onError: (e) => errors.push(e) }, timers: { pollMs: TEN_MINUTES } });
    await follower.caughtUp();
    await follower.caughtUp();
    for (const stream of streams) expect(await redis.client.sendCommand(['XLEN', stream])).toBe(0);
    expect(errors).toEqual([]); // every entry trimmed is no data loss
    await adapters.stop();
    await service.close();
  });
});
