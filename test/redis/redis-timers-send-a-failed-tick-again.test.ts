/**
 * A timer's tick whose save was written but whose reply was lost: the save moved the agent's timer on in Redis (an
 * expired session has none left), so no claim comes back for it, and the change it made (the expiry) reaches the
 * publisher only if the runner sends the same tick again. It does, a second later, and the redelivery publishes it.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisChangeStream, createRedisPresence, RedisUnavailableError } from '../../src/redis/index';
import { createPresenceService, type PresenceChange } from '../../src/service/index';
import { startRedisProxy, type RedisProxy } from '../helpers/redisProxy';
import { connectClient, useRedisServer, type RedisTestClient } from '../helpers/redisServer';

const redis = useRedisServer();
let proxy: RedisProxy | undefined;
let client: RedisTestClient | undefined;
afterAll(async () => {
  await client?.close().catch(() => {});
  await proxy?.close();
});

describe('a tick whose reply is lost', () => {
  it('is sent again by the runner, and the change it made is published', async () => {
    proxy = await startRedisProxy(redis.server.port);
    client = await connectClient(proxy.url);
    const options = { keyPrefix: 'tick-again:' };
    const adapters = createRedisPresence(client, options);
    const published: PresenceChange[] = [];
    const machine = createPresenceMachine({ defaultProfile: { sessionTtlMs: 300 } });
    const service = createPresenceService({ machine, ...adapters.ports, publisher: { publish: (c) => void published.push(c) }, onError: () => {} });
    await service.dispatch('a1', { type: 'signIn', at: Date.now(), eventId: 'in' });
    proxy.loseNextSaveReply('a1'); // the next save of a1 is its expiry tick
    const errors: [unknown, string | undefined][] = [];
    const runner = adapters.timers.run(service, { pollMs: 20, onError: (error, agentId) => errors.push([error, agentId]) });
    await vi.waitFor(
      () => expect(published.map((c) => `v${c.version} ${c.to.presenceId} ${c.source}`)).toEqual(['v1 available capacity', 'v2 offline expired']),
      {
        timeout: 10_000,
        interval: 50,
      },
    );
    await runner.stop();
    await service.close();
    expect(proxy.dropped).toBe(1);
    // The tick failed once; a claim in flight on the connection cut with it may have failed too (told without an agent).
    expect(errors.filter(([, agentId]) => agentId === 'a1').map(([e]) => e instanceof RedisUnavailableError)).toEqual([true]);
    expect(errors.filter(([e, agentId]) => agentId !== undefined || !(e instanceof RedisUnavailableError))).toHaveLength(1);
    const { entries } = await createRedisChangeStream(redis.client, options).read();
    expect(entries.map((e) => `v${e.version} ${e.eventId?.startsWith('tick@') ? 'tick' : e.eventId}`)).toEqual(['v1 in', 'v2 tick']); // applied once
    expect(await redis.client.sendCommand(['ZCARD', adapters.store.keysOf('a1').timers])).toBe(0);
  }, 20_000);
});
