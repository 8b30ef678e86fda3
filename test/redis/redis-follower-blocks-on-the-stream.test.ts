/**
 * Push, not poll: an idle follower blocks on the streams (`XREAD BLOCK`) on a connection of its own, so another
 * process's save wakes it at once. Here the follower's polling interval and its longest block are ten minutes:
 * only the push can bring the change within the test's time.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisChangeStream, createRedisPresence, type RedisCommandClient, type RedisPresenceOptions } from '../../src/redis/index';
import { createPresenceService, type PresenceChange } from '../../src/service/index';
import { connectClient, useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const TEN_MINUTES = 600_000;
let prefixes = 0;
const options = (): RedisPresenceOptions => ({ keyPrefix: `push${prefixes++}:`, shards: 3 });

/** Resolves with the first change heard for the agent. */
const nextChange = (subscribe: (listener: (c: PresenceChange) => void) => () => void, agentId: string) =>
  new Promise<PresenceChange>((resolve) => {
    const off = subscribe((c) => {
      if (c.agentId !== agentId) return;
      off();
      resolve(c);
    });
  });

describe('an idle follower', () => {
  it("hears another process's change without polling (a duplicate of its client blocks on every shard)", async () => {
    const opts = options();
    const writerClient = await connectClient(redis.server.url);
    const readerClient = await connectClient(redis.server.url);
    const writer = createPresenceService({ machine, ...createRedisPresence(writerClient, opts).ports });
    const readerRedis = createRedisPresence(readerClient, opts);
    const reader = createPresenceService({ machine, ...readerRedis.ports });
    const { follower } = readerRedis.start(reader, { follow: { pollMs: TEN_MINUTES, blockMs: TEN_MINUTES }, timers: { pollMs: TEN_MINUTES } });
    await follower.caughtUp();
    for (const agentId of ['a1', 'a2', 'a3', 'a4']) {
      const heard = nextChange(reader.subscribe, agentId);
      await writer.dispatch(agentId, { type: 'signIn', at: 1_000 });
      expect(await heard).toMatchObject({ agentId, version: 1, to: { presenceId: 'available' } });
    }
    await readerRedis.stop(); // ends the block in flight, and closes the connection it made
    await Promise.all([writer.close(), reader.close()]);
    await Promise.all([writerClient.close(), readerClient.close()]);
  });

  it('blocks on the connection it is given, ends its block at stop and leaves that connection open', async () => {
    const opts = options();
    const own = await connectClient(redis.server.url);
    const sent: string[][] = [];
    const blockingClient: RedisCommandClient = { sendCommand: (args) => (sent.push(args), own.sendCommand(args)) };
    const writer = createPresenceService({ machine, ...createRedisPresence(redis.client, opts).ports });
    const reader = createPresenceService({ machine, ...createRedisPresence(redis.client, opts).ports });
    const follower = createRedisChangeStream(redis.client, opts).follow(reader, { pollMs: TEN_MINUTES, blockMs: TEN_MINUTES, blockingClient });
    await follower.caughtUp();
    const heard = nextChange(reader.subscribe, 'a1');
    await writer.dispatch('a1', { type: 'signIn', at: 1_000 });
    expect(await heard).toMatchObject({ agentId: 'a1', version: 1 });
    expect(sent.some((args) => args[0] === 'XREAD' && args.includes('BLOCK'))).toBe(true);
    // Only blocking reads and the client id go to that connection: the shared client does the rest.
    expect(new Set(sent.map((args) => args.slice(0, 2).join(' ')).map((c) => (c.startsWith('XREAD') ? 'XREAD' : c)))).toEqual(new Set(['CLIENT ID', 'XREAD']));
    await follower.stop(); // a ten-minute block in flight: stop ends it (CLIENT UNBLOCK)
    expect(await own.sendCommand(['PING'])).toBe('PONG');
    await Promise.all([writer.close(), reader.close(), own.close()]);
  });

  it('polls every pollMs with blockingClient: null; refuses to block on the client it reads with, and a blockMs below 1', async () => {
    const opts = options();
    const changes = createRedisChangeStream(redis.client, opts);
    const service = createPresenceService({ machine });
    expect(() => changes.follow(service, { blockingClient: redis.client })).toThrow('follow: blockingClient must not be the client the stream reads with');
    expect(() => changes.follow(service, { blockMs: 0 })).toThrow('follow: blockMs must be a whole number ≥ 1 (got 0)');
    const writer = createPresenceService({ machine, ...createRedisPresence(redis.client, opts).ports });
    const reader = createPresenceService({ machine, ...createRedisPresence(redis.client, opts).ports });
    const follower = changes.follow(reader, { pollMs: 5, blockMs: TEN_MINUTES, blockingClient: null });
    await follower.caughtUp();
    const heard = nextChange(reader.subscribe, 'a1');
    await writer.dispatch('a1', { type: 'signIn', at: 1_000 });
    expect(await heard).toMatchObject({ agentId: 'a1', version: 1 });
    await follower.stop();
    await Promise.all([writer.close(), reader.close()]);
  });
});
