import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService, type RosterLookup, type ResolvedRosterQuery, type UnreadableRecordError } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { countingClient } from '../helpers/countingClient';
import { useRedisServer } from '../helpers/redisServer';

// findAvailable on Redis is one read-only script per shard, all sent at once: the script returns each shard's
// first candidates with their records, so that none is read apart. A record this process saved or read last is
// taken as kept only when it is the very text stored (same version, generation and SHA-1); anything else read from
// Redis is checked whole, and an unreadable one is reported and left out.

const redis = useRedisServer();

const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 60_000 } });

let prefixes = 0;

/** A process: a client counting the commands it sends, its own adapters and record cache. */
function processOn(options: { keyPrefix: string; shards?: number }) {
  const counting = countingClient(redis.client);
  const adapters = createRedisPresence(counting.client, options);
  const service = createPresenceService({ machine, ...adapters.ports, onError: () => {} });
  const commands = counting.during;
  return { adapters, service, commands };
}

const query: ResolvedRosterQuery = { units: 10, bases: ['Available', 'Busy'], exclude: [], limit: 3, order: 'mostFree' };

describe('findAvailable on Redis', () => {
  it('is one read-only script per shard, whether the router saved the agents or not', async () => {
    const options = { keyPrefix: `fa-trip${++prefixes}:`, shards: 4 };
    const writer = processOn(options);
    const router = processOn(options);
    const agents = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
    for (const [i, agentId] of agents.entries()) {
      await writer.service.dispatch(agentId, { type: 'signIn', at: 1_000 + i });
      if (i % 3 === 0) await writer.service.dispatch(agentId, { type: 'workAssigned', workItemId: `c${i}`, units: 10 + i, at: 2_000 + i });
    }
    await router.service.findAvailable(query); // loads the script (EVAL_RO after NOSCRIPT)
    const expected = ['agent-1', 'agent-2', 'agent-4'];
    for (const process of [router, writer]) {
      for (let round = 0; round < 2; round++) {
        const { sent, result } = await process.commands(() => process.service.findAvailable(query));
        expect(result.map((c) => c.agentId)).toEqual(expected);
        expect(sent).toEqual(['EVALSHA_RO', 'EVALSHA_RO', 'EVALSHA_RO', 'EVALSHA_RO']);
      }
    }
    // A candidate the scripts did not send (refused by the slack of its bucket first, or further down) is read apart.
    const { sent } = await router.commands(() => router.service.findAvailable({ ...query, limit: 12 }));
    expect(sent.filter((c) => c !== 'EVALSHA_RO' && c !== 'HMGET')).toEqual([]);
  });

  it('checks again a record kept here that was changed by hand at the same version, and reports it unreadable', async () => {
    const options = { keyPrefix: `fa-trip${++prefixes}:` };
    const writer = processOn(options);
    await writer.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await writer.service.dispatch('a2', { type: 'signIn', at: 2_000 });
    const store = writer.adapters.store;
    const unreadable: UnreadableRecordError[] = [];
    const lookup: RosterLookup = { accepts: () => true, onUnreadable: (error) => unreadable.push(error) };
    // Both kept here as saved: offered.
    expect((await store.findAvailable!(query, lookup)).map((m) => m.agentId)).toEqual(['a1', 'a2']);
    // a1's text changed by hand, its version and generation left as they were: read whole, refused, reported.
    await redis.client.sendCommand(['HSET', store.keysOf('a1').record, 'r', '{"schemaVersion":1,"state":{"agentId":"a1"},"seen":[]}']);
    expect((await store.findAvailable!(query, lookup)).map((m) => m.agentId)).toEqual(['a2']);
    expect(unreadable.map((e) => e.agentId)).toEqual(['a1']);
    expect(unreadable[0]!.message).toContain('a1');
    // A record kept here whose text is the one stored is taken as kept: the same object, not a copy read again.
    const kept = store.loadCached!('a2');
    const [match] = await store.findAvailable!(query, { accepts: (agentId) => agentId === 'a2', onUnreadable: () => {} });
    expect(match?.record).toBe(kept?.record);
  });

  it('reports a candidate whose key holds another type, and offers the others', async () => {
    const options = { keyPrefix: `fa-trip${++prefixes}:` };
    const writer = processOn(options);
    const router = processOn(options);
    await writer.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await writer.service.dispatch('a2', { type: 'signIn', at: 2_000 });
    const key = writer.adapters.store.keysOf('a1').record;
    await redis.client.sendCommand(['DEL', key]);
    await redis.client.sendCommand(['RPUSH', key, 'not a record']);
    const unreadable: UnreadableRecordError[] = [];
    const found = await router.adapters.store.findAvailable!(query, { accepts: () => true, onUnreadable: (error) => unreadable.push(error) });
    expect(found.map((m) => m.agentId)).toEqual(['a2']);
    expect(unreadable.map((e) => e.message)).toEqual([expect.stringContaining(`its key ${key} holds a list, not a hash`)]);
  });
});
