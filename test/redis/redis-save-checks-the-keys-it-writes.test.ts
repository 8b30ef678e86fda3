/**
 * The save script checks the type of each key it is about to write before it writes anything, so that a key of
 * another type (a hand edit, another program) is refused whole, naming the key, never half written. It checks only
 * the keys this save writes: a heartbeat, which writes no history and leaves the agent where it is in the roster,
 * still goes through when the agent's history or its roster bucket's sorted set is damaged; the first save that
 * would write that key is refused, and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresence } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 60_000 } });
let prefixes = 0;
const send = <T = unknown>(args: string[]): Promise<T> => redis.client.sendCommand<T>(args);

/** A service over a fresh key prefix, with agent a1 signed in on session `desk`. */
async function signedIn() {
  const adapters = createRedisPresence(redis.client, { keyPrefix: `checks${prefixes++}:` });
  const service = createPresenceService({ machine, ...adapters.ports });
  await service.dispatch('a1', { type: 'signIn', sessionId: 'desk', at: 1_000 });
  const keys = adapters.store.keysOf('a1');
  const written = async () => ({ version: await send(['HGET', keys.record, 'v']), entries: await send(['XLEN', keys.stream]) });
  return { service, keys, written };
}

describe('the save checks the keys it writes', () => {
  it('lets a heartbeat through while the agent history holds a string, and refuses the next presence change whole, naming the key', async () => {
    const { service, keys, written } = await signedIn();
    await send(['SET', keys.history, 'not a list']);
    await expect(service.dispatch('a1', { type: 'heartbeat', sessionId: 'desk', at: 2_000 })).resolves.toMatchObject({ version: 2 });
    const before = await written();
    expect(before).toEqual({ version: '2', entries: 2 });
    await expect(service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 3_000 })).rejects.toThrow(
      new RegExp(`WRONGTYPE agent-presence key ${keys.history.replace(/[{}]/g, '\\$&')} holds a string, not a list: nothing was saved`),
    );
    expect(await written()).toEqual(before);
    expect(await send(['GET', keys.history])).toBe('not a list');
    await service.close();
  });

  it("lets a heartbeat through while the agent's roster bucket is a string, and refuses the save that moves the agent out of it", async () => {
    const { service, keys, written } = await signedIn();
    const [bucket] = await send<string[]>(['HKEYS', keys.rosterBuckets]);
    expect(bucket).toBeDefined();
    const sortedSet = `${keys.roster}:f:${bucket}`;
    expect(await send(['TYPE', sortedSet])).toBe('zset');
    await send(['DEL', sortedSet]);
    await send(['SET', sortedSet, 'garbage']);
    await expect(service.dispatch('a1', { type: 'heartbeat', sessionId: 'desk', at: 2_000 })).resolves.toMatchObject({ version: 2 });
    const before = await written();
    await expect(service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 3_000 })).rejects.toThrow(
      /WRONGTYPE agent-presence key .*:roster:f:.* holds a string, not a zset: nothing was saved/,
    );
    expect(await written()).toEqual(before);
    await service.close();
  });

  it('refuses a heartbeat whole when a key it writes (the shard timers) holds another type', async () => {
    const { service, keys, written } = await signedIn();
    const before = await written();
    await send(['DEL', keys.timers]);
    await send(['SET', keys.timers, 'garbage']);
    await expect(service.dispatch('a1', { type: 'heartbeat', sessionId: 'desk', at: 2_000 })).rejects.toThrow(
      /WRONGTYPE agent-presence key .*timers.* holds a string, not a zset: nothing was saved/,
    );
    expect(await written()).toEqual(before);
    await service.close();
  });
});
