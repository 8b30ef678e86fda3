/**
 * The save script's stream entry can be refused by Redis on a key that is a stream: one whose last id is the largest
 * Redis has (`XSETID` or an `XADD` with that id, by hand or by another program) takes no entry added with `*`. The
 * save must then write nothing (the record, its history, the roster, the timers): Redis does not undo a script's
 * writes when it fails halfway, and a record saved without its entry is a version no follower ever sees. The entry
 * is the script's first write.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresence } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 60_000 } });
const LAST_ID = '18446744073709551615-18446744073709551615';
let prefixes = 0;
const send = <T = unknown>(args: string[]): Promise<T> => redis.client.sendCommand<T>(args);

describe('a save whose stream entry Redis refuses', () => {
  it.each([
    ['a heartbeat', { type: 'heartbeat', sessionId: 'desk', at: 2_000 }],
    ['a presence change', { type: 'setPresence', presenceId: 'away', at: 2_000 }],
    // On one server the save claims the item itself (save-claiming-work): the claim is not written either.
    ['a work item assigned', { type: 'workAssigned', workItemId: 'w1', units: 10, at: 2_000 }],
  ] as const)('%s on a stream at its last possible id writes nothing, and says what to do', async (_, event) => {
    const prefix = `exhausted${prefixes++}:`;
    const adapters = createRedisPresence(redis.client, { keyPrefix: prefix });
    const service = createPresenceService({ machine, ...adapters.ports });
    await service.dispatch('a1', { type: 'signIn', sessionId: 'desk', at: 1_000 });
    const keys = adapters.store.keysOf('a1');
    await send(['XADD', keys.stream, LAST_ID, 'by', 'hand']);
    const state = async () => ({
      record: await send(['HGETALL', keys.record]),
      history: await send(['LRANGE', keys.history, '0', '-1']),
      roster: await send(['HGETALL', keys.roster]),
      deadlines: await send(['HGETALL', keys.deadlines]),
      timers: await send(['ZRANGE', keys.timers, '0', '-1', 'WITHSCORES']),
      entries: await send(['XLEN', keys.stream]),
      claims: await send(['KEYS', `${prefix}*w:w1*`]),
    });
    const before = await state();
    await expect(service.dispatch('a1', event)).rejects.toThrow(
      new RegExp(`agent-presence key ${keys.stream.replace(/[{}]/g, '\\$&')} .*last possible ID.*nothing was saved`),
    );
    expect(await state()).toEqual(before);
    // Once the stream is deleted, as the error says, the event goes through.
    await send(['DEL', keys.stream]);
    await expect(service.dispatch('a1', event)).resolves.toMatchObject({ version: 2 });
    if (event.type === 'workAssigned') expect((await state()).claims).toHaveLength(1);
    await service.close();
  });
});
