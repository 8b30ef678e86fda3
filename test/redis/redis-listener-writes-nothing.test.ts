/**
 * A listen-only process (a supervisor board): `redis.listen(service)` follows every change into its service —
 * listeners, roster — through an unreadable entry and a data loss, and sends Redis no command that writes and
 * no script that could: every command it sent is recorded here and checked against Redis's own command flags.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createRedisPresence, RedisDataLossError, type RedisCommandClient } from '../../src/redis/index';
import { createPresenceService, type PresenceChange } from '../../src/service/index';
import { connectClient, useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const everyone = { units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'] as const, limit: 100, order: 'mostFree' as const };

/** A client that records every command it sends. */
function recording(client: RedisCommandClient, sent: string[][]): RedisCommandClient {
  return { sendCommand: (args) => (sent.push(args), client.sendCommand(args)) };
}

/** Redis's flags of a command (`CLIENT ID` as the subcommand `client|id`). */
async function flagsOf(args: readonly string[]): Promise<string[]> {
  const name = args[0]!.toLowerCase();
  const info = await redis.client.sendCommand<unknown[]>(['COMMAND', 'INFO', name]);
  const [entry] = info as [unknown[]];
  const subcommands = (entry[9] ?? []) as unknown[][];
  const sub = subcommands.find((s) => s[0] === `${name}|${args[1]?.toLowerCase()}`);
  return ((sub ?? entry)[2] as string[]).map(String);
}

describe('a listen-only process', () => {
  it('follows saves, an unreadable entry and a data loss into its service, and sends only commands that cannot write', async () => {
    const options = { keyPrefix: 'listen:', shards: 2 };
    const writerClient = await connectClient(redis.server.url);
    const writer = createPresenceService({ machine, ...createRedisPresence(writerClient, options).ports });

    const sent: string[][] = [];
    const boardClient = await connectClient(redis.server.url);
    const blockingClient = await connectClient(redis.server.url);
    const board = createRedisPresence(recording(boardClient, sent), options);
    const service = createPresenceService({ machine, ...board.ports });
    const heard: PresenceChange[] = [];
    service.subscribe((c) => heard.push(c));
    const errors: unknown[] = [];
    const { follower } = board.listen(service, { follow: { blockingClient: recording(blockingClient, sent), onError: (e) => errors.push(e) } });
    await follower.caughtUp();

    await writer.dispatch('a1', { type: 'signIn', at: 1_000 });
    await writer.dispatch('a2', { type: 'signIn', at: 1_000 });
    await writer.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000 });
    await follower.caughtUp();
    expect(heard.map((c) => `${c.agentId} v${c.version} ${c.to.presenceId}`).sort()).toEqual(['a1 v1 available', 'a1 v2 busy', 'a2 v1 available']);
    expect((await service.findAvailable(everyone)).map((c) => [c.agentId, c.freeUnits])).toEqual([
      ['a2', 100],
      ['a1', 60],
    ]);

    // An entry no release can read (written by hand): reported and passed, the agent read again from the store.
    const a1 = board.store.keysOf('a1');
    await redis.client.sendCommand(['XADD', a1.stream, '*', 'agent', 'a1', 'version', '3', 'state', '{not json']);
    await follower.caughtUp();
    expect(errors).toMatchObject([{ name: 'RedisChangeEntryError', agentId: 'a1', step: 'read' }]);

    // The newest entry the board read, gone untrimmed: a data loss. It resyncs, and leaves the generation alone.
    const generation = await redis.client.sendCommand(['GET', a1.generation]);
    const [last] = await redis.client.sendCommand<[string, unknown][]>(['XREVRANGE', a1.stream, '+', '-', 'COUNT', '1']);
    await redis.client.sendCommand(['XDEL', a1.stream, last![0]]);
    await follower.caughtUp();
    expect(errors.at(-1)).toBeInstanceOf(RedisDataLossError);
    expect(errors.at(-1)).toMatchObject({ reason: 'missing-entry', shard: a1.shard });
    expect(await redis.client.sendCommand(['GET', a1.generation])).toBe(generation);
    expect((await service.findAvailable(everyone)).map((c) => c.agentId).sort()).toEqual(['a1', 'a2']);

    // And it keeps following.
    await writer.dispatch('a2', { type: 'setPresence', presenceId: 'away', at: 3_000 });
    await follower.caughtUp();
    expect(heard.at(-1)).toMatchObject({ agentId: 'a2', to: { presenceId: 'away' } });
    await board.stop();

    const names = new Set(sent.map((args) => args[0]!.toUpperCase()));
    expect(names.has('XREAD')).toBe(true);
    expect(names.has('EVALSHA_RO')).toBe(true);
    for (const script of ['EVAL', 'EVALSHA', 'FCALL']) expect(names.has(script)).toBe(false);
    const writes: string[] = [];
    for (const args of new Map(sent.map((a) => [`${a[0]} ${a[0] === 'CLIENT' ? a[1] : ''}`, a])).values()) {
      if ((await flagsOf(args)).includes('write')) writes.push(args.join(' '));
    }
    expect(writes).toEqual([]);
    await Promise.all([writer.close(), service.close()]);
    await Promise.all([writerClient.close(), boardClient.close(), blockingClient.close()]);
  });
});
