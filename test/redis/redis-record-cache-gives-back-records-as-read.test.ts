import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { useRedisServer } from '../helpers/redisServer';

// The Redis store keeps the records it saved or read as their JSON text and parses one when it is used
// (`loadCached`, a findAvailable candidate). What it gives back must be the record a read gives: the same as another
// process reads after a save here, and, after a read here, the record as checked (a field the check leaves out stays
// out), not the text as Redis holds it.

const redis = useRedisServer();

const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 60_000 } });

let prefixes = 0;

function processOn(keyPrefix: string) {
  const adapters = createRedisPresence(redis.client, { keyPrefix });
  const service = createPresenceService({ machine, ...adapters.ports, onError: () => {} });
  return { store: adapters.store, service };
}

describe('the Redis record cache', () => {
  it('gives back a record saved here as another process reads it', async () => {
    const keyPrefix = `cache-text${++prefixes}:`;
    const writer = processOn(keyPrefix);
    await writer.service.dispatch('a1', { type: 'signIn', sessionId: 'desk', at: 1_000 });
    await writer.service.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 20, at: 2_000, eventId: 'e1' });
    await writer.service.dispatch('a1', { type: 'heartbeat', sessionId: 'desk', at: 3_000 });
    const kept = writer.store.loadCached!('a1');
    expect(kept?.version).toBe(3);
    expect(kept).toEqual(await processOn(keyPrefix).store.load('a1'));
  });

  it('gives back a record read here as the read checked it, without a field the check leaves out', async () => {
    const keyPrefix = `cache-text${++prefixes}:`;
    const { store, service } = processOn(keyPrefix);
    await service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'e1' });
    // A field no release writes, in a remembered event's presence (a part the check takes without unknown fields).
    const key = store.keysOf('a1').record;
    const stored = JSON.parse(await redis.client.sendCommand<string>(['HGET', key, 'r'])) as {
      seen: { result: { presence: Record<string, unknown> } }[];
    };
    stored.seen[0]!.result.presence.extra = 'left out';
    await redis.client.sendCommand(['HSET', key, 'r', JSON.stringify(stored)]);
    const read = await store.load('a1');
    expect(read?.record.seen[0]?.result.presence).not.toHaveProperty('extra');
    // Enough other records read after it that it is no longer among the few kept parsed: it comes from its text.
    const others = Array.from({ length: 300 }, (_, i) => `b${i}`);
    const writer = processOn(keyPrefix);
    await Promise.all(others.map((agentId) => writer.service.dispatch(agentId, { type: 'signIn', at: 1_000 })));
    await Promise.all(others.map((agentId) => store.load(agentId)));
    const kept = store.loadCached!('a1');
    expect(kept).not.toBe(read);
    expect(kept).toEqual(read);
    expect(kept?.record.seen[0]?.result.presence).not.toHaveProperty('extra');
  });
});
