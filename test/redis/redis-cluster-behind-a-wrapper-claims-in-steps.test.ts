/**
 * A Cluster reached through a client wrapper of the caller's own (one that counts or times commands) is not known for
 * a Cluster, so the Redis store first tries to claim work items in its save script, whose claim keys lie in other
 * slots. Redis refuses that script before running it (CROSSSLOT); the store then claims in steps for good, and the
 * save that met the refusal is tried again that way: no dispatch fails, nothing is written twice, and one item still
 * goes to one agent.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createRedisPresence } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { useRedisTargets, type RedisTestConnection } from '../helpers/redisTarget';

const redis = useRedisTargets();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const assign = (workItemId: string): PresenceEvent => ({ type: 'workAssigned', workItemId, units: 10, at: Date.now() });

describe('a Cluster behind a wrapper of the caller’s own', () => {
  redis.use('cluster');

  it('claims in steps after its first claiming save is refused, and every dispatch still lands once', async () => {
    const refused: string[] = [];
    const wrapped = {
      sendCommand: async (args: string[], options?: unknown) => {
        try {
          return await redis.client.sendCommand(args, options as never);
        } catch (error) {
          refused.push(String(error));
          throw error;
        }
      },
    } as unknown as RedisTestConnection;
    const adapters = createRedisPresence(wrapped, { keyPrefix: 'wrapped:', shards: 4 });
    const errors: unknown[] = [];
    const service = createPresenceService({ machine, ...adapters.ports, onError: (error) => errors.push(error) });
    expect(typeof adapters.store.saveClaimingWork).toBe('function'); // not known for a Cluster

    await service.dispatch('a1', { type: 'signIn' });
    await service.dispatch('a2', { type: 'signIn' });
    const first = await service.dispatch('a1', assign('chat-1'));
    expect(first.rejection).toBeUndefined();
    expect(refused.filter((e) => e.includes('CROSSSLOT'))).toHaveLength(1);
    expect(adapters.store.saveClaimingWork).toBeUndefined(); // claims in steps from now on

    // One item, one agent still holds, across slots.
    expect((await service.dispatch('a2', assign('chat-1'))).rejection?.code).toBe('WORK_ITEM_TAKEN');
    expect((await service.dispatch('a1', { type: 'workReleased', workItemId: 'chat-1', at: Date.now() })).rejection).toBeUndefined();
    expect((await service.dispatch('a2', assign('chat-1'))).rejection).toBeUndefined();
    expect(refused.filter((e) => e.includes('CROSSSLOT'))).toHaveLength(1);

    // Each save landed once: versions without a gap, the item held by a2 alone.
    expect((await adapters.store.load('a1'))?.record.state.work).toEqual([]);
    expect((await adapters.store.load('a2'))?.record.state.work.map((w) => w.workItemId)).toEqual(['chat-1']);
    expect((await adapters.store.load('a1'))?.version).toBe(3);
    expect(errors).toEqual([]);
    await service.close();
  });
});
