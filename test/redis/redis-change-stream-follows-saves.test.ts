import { describe, expect, it, vi } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService, type PresenceChange, type PresenceService } from '../../src/service/index';
import { createRedisChangeStream, createRedisPresenceStore, type RedisChangeEntry, type RedisPresenceOptions } from '../../src/redis/index';
import { REDIS_TARGETS, useRedisTargets } from '../helpers/redisTarget';
import { recordingScheduler } from '../helpers/service';

const redis = useRedisTargets();

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const chats = { units: 40, bases: ['Available', 'Busy'] as const, limit: 10, order: 'mostFree' as const };

let prefixes = 0;
const options = (extra: RedisPresenceOptions = {}): RedisPresenceOptions => ({ keyPrefix: `s${++prefixes}:`, ...extra });
const serviceOver = (opts: RedisPresenceOptions) =>
  createPresenceService({ machine, store: createRedisPresenceStore(redis.client, opts), scheduler: recordingScheduler() });

const summary = (entries: readonly RedisChangeEntry[]) =>
  entries.map(
    (e) => `${e.agentId} v${e.version}${e.eventId ? ` ${e.eventId}` : ''}${e.change ? ` ${e.change.from.presenceId}→${e.change.to.presenceId}` : ''}`,
  );

describe.each(REDIS_TARGETS)('the change stream (%s)', (kind) => {
  redis.use(kind);
  it('has one entry per save, written by the save itself: the state, the event id and the presence change', async () => {
    const opts = options();
    const service = serviceOver(opts);
    await service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in' });
    await service.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000, eventId: 'w1' });
    await service.dispatch('a1', { type: 'workAssigned', workItemId: 'c2', units: 40, at: 3_000 }); // Busy → Busy
    await service.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000, eventId: 'w1' }); // duplicate: no save
    await service.dispatch('a1', { type: 'workReleased', workItemId: 'nope', at: 3_500 }); // refused, no id: no save
    const { entries, gap } = await createRedisChangeStream(redis.client, opts).read();
    expect(gap).toBe(false);
    expect(summary(entries)).toEqual(['a1 v1 in offline→available', 'a1 v2 w1 available→busy', 'a1 v3']);
    const stored = await createRedisPresenceStore(redis.client, opts).load('a1');
    expect(entries[2]!.state).toEqual(stored!.record.state);
    expect(entries[1]!.change).toEqual({
      version: 2,
      agentId: 'a1',
      from: machine.presenceOf(entries[0]!.state!),
      to: machine.presenceOf(entries[1]!.state!),
      at: 2_000,
      source: 'capacity',
      eventId: 'w1',
      generation: entries[1]!.generation,
    });
    expect(entries[1]!.generation).toMatch(/^\d{15}-[0-9a-f]{8}$/);
  });

  it('gets no entry for a save that lost the compare-and-set, nor for one whose keys are damaged (nothing half-written)', async () => {
    const opts = options();
    const store = createRedisPresenceStore(redis.client, opts);
    const record = { state: machine.initialState('a1'), seen: [] };
    await store.save('a1', record, 0);
    await store.save('a1', record, 0); // conflict
    await redis.client.sendCommand(['SET', store.keysOf('a1').history, 'not a list']);
    const change = { agentId: 'a1', from: machine.presenceOf(record.state), to: machine.presenceOf(record.state), at: 0, source: 'default' as const };
    await expect(store.save('a1', record, 1, { change })).rejects.toThrow(
      /WRONGTYPE agent-presence key .*:history:a1 holds a string, not a list: nothing was saved; rename the key \(to inspect it\) or delete it, and send the event again$/,
    );
    expect((await store.load('a1'))?.version).toBe(1);
    expect((await createRedisChangeStream(redis.client, opts).read()).entries.map((e) => e.version)).toEqual([1]);
  });

  it("keeps each agent's entries in version order with none missing, across concurrent writers and shards", async () => {
    const opts = options({ shards: 4 });
    const services = [serviceOver(opts), serviceOver(opts), serviceOver(opts)];
    const agents = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
    await Promise.all(
      services.map(async (service, w) => {
        for (let n = 0; n < 40; n++) {
          const agentId = agents[(n * 7 + w) % agents.length]!;
          const at = 1_000 + n;
          await service.dispatch(
            agentId,
            n % 3 === 0
              ? { type: 'signIn', at }
              : n % 3 === 1
                ? { type: 'workAssigned', workItemId: `w${w}-${n}`, units: 10, at }
                : { type: 'setPresence', presenceId: 'away', at },
          );
        }
      }),
    );
    const { entries } = await createRedisChangeStream(redis.client, opts).read({ count: 10_000 });
    const store = createRedisPresenceStore(redis.client, opts);
    for (const agentId of agents) {
      const mine = entries.filter((e) => e.agentId === agentId);
      const version = (await store.load(agentId))?.version ?? 0;
      expect(
        mine.map((e) => e.version),
        agentId,
      ).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      expect(new Set(mine.map((e) => e.shard)).size, agentId).toBe(1);
    }
  });

  it('resumes from a position, and reading from an older one delivers entries again (dropped by agent and version)', async () => {
    const opts = options();
    const service = serviceOver(opts);
    const changes = createRedisChangeStream(redis.client, opts);
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    const first = await changes.read();
    await service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000 });
    await service.dispatch('a2', { type: 'signIn', at: 2_500 });
    const next = await changes.read({ from: first.position });
    expect(summary(next.entries)).toEqual(['a1 v2 available→away', 'a2 v1 offline→available']);
    expect((await changes.read({ from: next.position })).entries).toEqual([]);
    const again = await changes.read({ from: '0' });
    const seen = new Set<string>();
    const fresh = [...first.entries, ...next.entries, ...again.entries].filter(
      (e) => !seen.has(`${e.agentId}@${e.version}`) && seen.add(`${e.agentId}@${e.version}`),
    );
    expect(fresh).toHaveLength(3);
    await expect(changes.read({ from: ['0-0', '1-0'] })).rejects.toThrow("read: from must be '$', '0' or one stream id (<ms>-<seq>) per shard, 1 in all");
  });
});

describe.each(REDIS_TARGETS)('follow (%s)', (kind) => {
  redis.use(kind);
  async function followed(opts: RedisPresenceOptions, from: '$' | '0' = '$') {
    const writer = serviceOver(opts);
    const reader = serviceOver(opts);
    const heard: PresenceChange[] = [];
    reader.subscribe((c) => heard.push(c));
    const follower = createRedisChangeStream(redis.client, opts).follow(reader, { from, pollMs: 5 });
    await follower.caughtUp();
    return { writer, reader, heard, follower };
  }

  it("feeds another process's saves into the service: its roster (free units too) and its listeners, each change once", async () => {
    const { writer, reader, heard, follower } = await followed(options());
    expect(await reader.findAvailable(chats)).toEqual([]);
    await writer.dispatch('a1', { type: 'signIn', at: 1_000 });
    await writer.dispatch('a2', { type: 'signIn', at: 1_000 });
    await writer.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000 });
    await writer.dispatch('a1', { type: 'workAssigned', workItemId: 'c2', units: 30, at: 3_000 }); // no presence change: free units only
    await follower.caughtUp();
    expect((await reader.findAvailable(chats)).map((c) => [c.agentId, c.freeUnits])).toEqual([['a2', 100]]);
    expect((await reader.findAvailable({ ...chats, units: 30 })).map((c) => [c.agentId, c.freeUnits])).toEqual([
      ['a2', 100],
      ['a1', 30],
    ]);
    expect(heard.map((c) => `${c.agentId} v${c.version} ${c.to.presenceId}`)).toEqual(['a1 v1 available', 'a2 v1 available', 'a1 v2 busy']);
    await follower.stop();
  });

  it('does not repeat to its own listeners the changes its service saved', async () => {
    const opts = options();
    const service = serviceOver(opts);
    const heard: number[] = [];
    service.subscribe((c) => heard.push(c.version));
    const follower = createRedisChangeStream(redis.client, opts).follow(service, { pollMs: 5 });
    await follower.caughtUp();
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000 });
    await follower.caughtUp();
    expect(heard).toEqual([1, 2]);
    await follower.stop();
  });

  it('starts at the end by default and from the oldest entry with from: 0, and reports its position', async () => {
    const opts = options();
    const writer = serviceOver(opts);
    await writer.dispatch('a1', { type: 'signIn', at: 1_000 });
    const fromEnd = await followed(opts);
    const fromStart = await followed(opts, '0');
    await fromStart.follower.caughtUp();
    expect(fromEnd.heard).toEqual([]);
    expect(fromStart.heard.map((c) => c.version)).toEqual([1]);
    const [last] = (await createRedisChangeStream(redis.client, opts).read()).position;
    expect(fromStart.follower.position).toEqual([last]);
    await Promise.all([fromEnd.follower.stop(), fromStart.follower.stop()]);
  });

  it('rebuilds the roster from the store when entries were trimmed before it read them', async () => {
    const opts = options({ maxLen: 10 });
    const writer = serviceOver(opts);
    const reader = serviceOver(opts);
    const changes = createRedisChangeStream(redis.client, opts);
    await writer.dispatch('a0', { type: 'signIn', at: 1 });
    const behind = (await changes.read()).position;
    for (let i = 1; i <= 300; i++) await writer.dispatch(`a${i % 50}`, { type: 'signIn', at: i, sessionId: `s${i}` });
    const rebuild = vi.spyOn(reader, 'rebuildRoster');
    const follower = changes.follow(reader, { from: behind, pollMs: 5 });
    await follower.caughtUp();
    await follower.stop();
    expect(rebuild).toHaveBeenCalled();
    expect(await reader.findAvailable({ ...chats, limit: 100 })).toHaveLength(50);
  });

  it('tells onError when Redis cannot be read, and goes on once it can', async () => {
    const opts = options();
    const errors: unknown[] = [];
    let failing = 2;
    const flaky = {
      sendCommand: (args: string[]) => (failing-- > 0 ? Promise.reject(new Error('The client is offline')) : redis.client.sendCommand(args)),
    };
    const reader: PresenceService = serviceOver(opts);
    const follower = createRedisChangeStream(flaky, opts).follow(reader, { from: '0', pollMs: 5, onError: (e) => errors.push(e) });
    await serviceOver(opts).dispatch('a1', { type: 'signIn', at: 1 });
    await follower.caughtUp();
    await follower.stop();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: 'REDIS_UNAVAILABLE', retryable: true });
    expect((await reader.findAvailable(chats)).map((c) => c.agentId)).toEqual(['a1']);
  });
});
