/**
 * On Redis, a record whose routing marks lie past its state's `lastAt` (written by hand, or corrupt) no longer sinks
 * its agent to the end of `longestIdle` and `leastRecentlyOffered` for good: the roster passes it over as unreadable
 * (told to onError), and `repairAgent` rebuilds it without the marks, after which the agent is ranked again.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresenceStore } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const FAR = 8_640_000_000_000_000;

describe('routing marks later than the state, on Redis', () => {
  it('make the record unreadable to the roster; repaired, the agent ranks by its state again', async () => {
    const prefix = 'marks:';
    const store = createRedisPresenceStore(redis.client, { keyPrefix: prefix });
    const errors: string[] = [];
    const service = createPresenceService({ machine, store, onError: (_, c) => errors.push(`${c.kind} ${c.agentId}`) });
    await service.dispatch('a', { type: 'signIn' });
    await service.dispatch('b', { type: 'signIn' });
    await service.dispatch('b', { type: 'workAssigned', workItemId: 'w', units: 10 });
    await service.dispatch('b', { type: 'workReleased', workItemId: 'w' });
    const key = `${prefix}{0}:agent:b`;
    const text: unknown = await redis.client.sendCommand(['HGET', key, 'r']);
    expect(typeof text).toBe('string');
    const stored = JSON.parse(text as string) as { routing?: unknown };
    expect(stored.routing).toBeDefined();
    await redis.client.sendCommand(['HSET', key, 'r', JSON.stringify({ ...stored, routing: { workEndedAt: FAR, routedAt: FAR } })]);

    const reader = createPresenceService({
      machine,
      store: createRedisPresenceStore(redis.client, { keyPrefix: prefix, recordCacheSize: 0 }),
      onError: (_, c) => errors.push(`${c.kind} ${c.agentId}`),
    });
    const ranked = await reader.findAvailable({ order: 'leastRecentlyOffered' });
    expect(ranked.map((c) => c.agentId)).toEqual(['a']);
    expect(errors).toContain('unreadable b');
    const repair = await reader.repairAgent('b');
    expect(repair.repaired).toBe(true);
    expect(repair.problem).toContain('routing.workEndedAt: must be no later than');
    const again = await reader.findAvailable({ order: 'leastRecentlyOffered' });
    const b = again.find((c) => c.agentId === 'b');
    expect(b).toBeDefined();
    expect(b?.lastRoutedAt).toBeUndefined();
    expect(b!.idleSince).toBeLessThanOrEqual(Date.now());
    await service.close();
    await reader.close();
  });
});
