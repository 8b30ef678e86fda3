/**
 * The adapters bound their own commands (`commandTimeoutMs`, else the client's `commandOptions.timeout`, else 5 s)
 * with one watchdog timer, and send them with node-redis's per-command timeout off.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresenceStore, RedisUnavailableError, type RedisCommandClient } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { failureOf } from '../helpers/failureOf';
import { connectClient, useRedisServer } from '../helpers/redisServer';

/** The file's own redis-server (its tests pause it) and a client to drive it. */
const redis = useRedisServer({ own: true });
const machine = createPresenceMachine();

/** Pauses every client for 1.5 s (writes and reads alike): no command is answered meanwhile. */
const pause = () => redis.client.sendCommand(['CLIENT', 'PAUSE', '1500', 'ALL']);
/** Until the pause is over: a command sent now is answered once it ends. */
const paused = () => redis.client.sendCommand(['PING']);

describe('a command with no reply', () => {
  it('fails after commandTimeoutMs with RedisUnavailableError, naming the command and the option, instead of waiting', async () => {
    const client = await connectClient(redis.server.url);
    try {
      const service = createPresenceService({ machine, store: createRedisPresenceStore(client, { keyPrefix: 'bounded:', commandTimeoutMs: 200 }) });
      await service.dispatch('a1', { type: 'signIn' });
      await pause();
      const error = await failureOf(service.dispatch('a1', { type: 'heartbeat' }));
      await paused();
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(String((error as Error).cause)).toMatch(/no reply to EVALSHA within 200 ms \(commandTimeoutMs\)/);
      // The connection is fine once Redis answers again.
      expect((await service.dispatch('a1', { type: 'heartbeat' })).rejection).toBeUndefined();
      await service.close();
    } finally {
      await client.close();
    }
  }, 10_000);

  it('is bounded by the client’s own commandOptions.timeout when the options give none', async () => {
    const client = await connectClient(redis.server.url, () => {}, { timeout: 300 });
    try {
      const store = createRedisPresenceStore(client, { keyPrefix: 'bounded:' });
      await pause();
      const error = await failureOf(store.load('a2'));
      await paused();
      expect(String((error as Error).cause)).toMatch(/no reply to HMGET within 300 ms/);
    } finally {
      await client.close();
    }
  }, 10_000);
});

describe('the commands the adapters send', () => {
  it('go with node-redis’s own per-command timeout off (one AbortSignal and timer a command is what the watchdog saves)', async () => {
    const client = await connectClient(redis.server.url);
    const seen: { command: string; timeout: number | undefined }[] = [];
    const recording: RedisCommandClient = {
      sendCommand(args, options) {
        seen.push({ command: args[0] ?? '', timeout: options?.timeout });
        return client.sendCommand(args, options);
      },
    };
    try {
      const service = createPresenceService({ machine, store: createRedisPresenceStore(recording, { keyPrefix: 'bounded:' }) });
      await service.dispatch('a3', { type: 'signIn' });
      await service.dispatch('a3', { type: 'workAssigned', workItemId: 'chat-1', units: 10 });
      await service.get('a3');
      await service.close();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((call) => call.timeout !== 0)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('can be left unbounded (commandTimeoutMs 0): then the client’s own options apply', async () => {
    const client = await connectClient(redis.server.url);
    const timeouts: (number | undefined)[] = [];
    const recording: RedisCommandClient = {
      sendCommand(args, options) {
        timeouts.push(options?.timeout);
        return client.sendCommand(args, options);
      },
    };
    try {
      await createRedisPresenceStore(recording, { keyPrefix: 'bounded:', commandTimeoutMs: 0 }).load('a4');
      expect(timeouts).toEqual([undefined]);
      expect(() => createRedisPresenceStore(recording, { commandTimeoutMs: -1 })).toThrow(
        /commandTimeoutMs: must be a whole number of ms from 0 \(none\) to 3600000 \(got -1\)/,
      );
    } finally {
      await client.close();
    }
  });
});
