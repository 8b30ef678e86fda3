/**
 * The roster the save script keeps in Redis (`P{N}:roster`, its sorted sets and `P{N}:roster:buckets`) holding
 * values no release writes (a hand edit, another program): every save still goes through whole (the script checks
 * before it writes: a failure halfway would leave the record and the stream written, the roster not, and the
 * caller told the save failed), and routing still finds the agents.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresence } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const available = { units: 10, bases: ['Available'] as const, limit: 10, order: 'mostFree' as const };
let prefixes = 0;
const send = <T = unknown>(args: string[]): Promise<T> => redis.client.sendCommand<T>(args);

describe('the roster bucket counts holding what the store never writes', () => {
  it.each([
    ['text', 'garbage'],
    ['a fraction', '1.5'],
    ['the largest count', '9223372036854775807'],
  ])('holding %s: the next saves go through whole, and routing finds every agent', async (_, value) => {
    const options = { keyPrefix: `buckets${prefixes++}:` };
    const adapters = createRedisPresence(redis.client, options);
    const service = createPresenceService({ machine, ...adapters.ports });
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    const { rosterBuckets, record } = adapters.store.keysOf('a1');
    const buckets = await send<string[]>(['HKEYS', rosterBuckets]);
    expect(buckets.length).toBe(1);
    await send(['HSET', rosterBuckets, buckets[0]!, value]);
    // A new agent in that bucket, and a1 leaving it.
    await expect(service.dispatch('a2', { type: 'signIn', at: 2_000 })).resolves.toMatchObject({ version: 1 });
    await expect(service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 3_000 })).resolves.toMatchObject({ version: 2 });
    expect(await send(['HGET', record, 'v'])).toBe('2');
    expect((await service.findAvailable(available)).map((c) => c.agentId)).toEqual(['a2']);
    await service.dispatch('a1', { type: 'setPresence', presenceId: 'available', at: 4_000 });
    expect((await service.findAvailable(available)).map((c) => c.agentId).sort()).toEqual(['a1', 'a2']);
    // The count is the bucket's agents again.
    expect(await send(['HGET', rosterBuckets, buckets[0]!])).toBe('2');
    await service.close();
  });
});
