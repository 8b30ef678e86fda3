import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { assignIfAvailable, createPresenceService, type DispatchResult, type PresenceChange } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { countingClient } from '../helpers/countingClient';
import { useRedisServer } from '../helpers/redisServer';

// A dispatch to an agent this process saved or read last is one command (the save script, compare-and-set on the
// version it knows); a record that moved on costs one more, and a heartbeat's stream entry leaves out the state. On
// one server an assignment claims its item in the save script itself (one item, one agent), and a release frees it
// there: still one command (test/redis/redis-assignment-and-release-are-one-round-trip.test.ts counts them).

const redis = useRedisServer();

const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 60_000 } });

let prefixes = 0;

/** A process: its own client wrapper counting the commands it sends, its own adapters (and record cache). */
function processOn(options: { keyPrefix: string; shards?: number }) {
  const counting = countingClient(redis.client);
  const adapters = createRedisPresence(counting.client, options);
  const errors: unknown[] = [];
  const service = createPresenceService({ machine, ...adapters.ports, onError: (e) => errors.push(e) });
  /** The commands sent while `run` runs. */
  const commands = async (run: () => Promise<unknown>): Promise<string[]> => (await counting.during(run)).sent;
  return { adapters, service, commands, errors };
}

/** Has the server load every script a dispatch may send (the first of each is EVAL after NOSCRIPT). */
async function warmUp(service: ReturnType<typeof processOn>['service']): Promise<void> {
  await service.dispatch('warm-up', { type: 'signIn', at: 1_000 });
  await service.dispatch('warm-up', { type: 'workAssigned', workItemId: 'w', units: 1, at: 1_000 }); // a claim, a save adding work
  await service.dispatch('warm-up', { type: 'workReleased', workItemId: 'w', at: 1_000 }); // a free
}

describe('a dispatch on Redis', () => {
  it('is one round trip when this process saved the agent last, and two when another process saved since', async () => {
    const options = { keyPrefix: `trip${++prefixes}:` };
    const a = processOn(options);
    const b = processOn(options);
    await warmUp(a.service);
    expect(await a.commands(() => a.service.dispatch('a1', { type: 'signIn', sessionId: 's1', at: 1_000 }))).toEqual(['HMGET', 'EVALSHA']);
    expect(await a.commands(() => a.service.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 30, at: 2_000, eventId: 'e1' }))).toEqual([
      'EVALSHA', // the save, claiming c1
    ]);
    expect(await a.commands(() => a.service.dispatch('a1', { type: 'heartbeat', sessionId: 's1', at: 3_000 }))).toEqual(['EVALSHA']);
    // Another process saves: this one's record is stale, its save conflicts and brings the current one back.
    await b.service.dispatch('a1', { type: 'workAssigned', workItemId: 'c2', units: 30, at: 4_000, eventId: 'e2' });
    expect(await a.commands(() => a.service.dispatch('a1', { type: 'workAssigned', workItemId: 'c3', units: 30, at: 5_000, eventId: 'e3' }))).toEqual([
      'EVALSHA', // a conflict, nothing claimed
      'EVALSHA', // the save, claiming c3
    ]);
    const stored = await a.service.get('a1');
    expect(stored.state.work.map((w) => w.workItemId)).toEqual(['c1', 'c2', 'c3']);
    expect(stored.version).toBe(5);
    // A redelivery is answered from a record just read, never from the one kept.
    const again = await a.commands(() => a.service.dispatch('a1', { type: 'workAssigned', workItemId: 'c2', units: 30, at: 4_000, eventId: 'e2' }));
    expect(again).toEqual(['HMGET']);
    expect(a.errors).toEqual([]);
  });

  it('never declines on a record kept here that another process changed since', async () => {
    const options = { keyPrefix: `trip${++prefixes}:` };
    const a = processOn(options);
    const b = processOn(options);
    await warmUp(a.service);
    await a.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await a.service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 1_500 });
    await b.service.dispatch('a1', { type: 'setPresence', presenceId: 'available', at: 2_000 }); // a keeps "away"
    const chat = { bases: ['Available', 'Busy'] } as const;
    let result: DispatchResult | undefined;
    // Declined on the record kept here: read again (confirmed), then saved.
    const sent = await a.commands(async () => {
      result = await assignIfAvailable(a.service, 'a1', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 3_000 }, chat);
    });
    expect(sent).toEqual(['HMGET', 'EVALSHA']); // the record, the save claiming c1
    expect(result?.declined).toBeUndefined();
    expect(result?.state.work.map((w) => w.workItemId)).toEqual(['c1']);
    // And the other way: kept here as available, Away since: declined, nothing stored.
    await b.service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 4_000 });
    let declined: DispatchResult | undefined;
    // The save from the record kept here conflicts (claiming nothing), and the current record it brings back declines:
    // one command.
    const once = await a.commands(async () => {
      declined = await assignIfAvailable(a.service, 'a1', { type: 'workAssigned', workItemId: 'c2', units: 40, at: 5_000 }, chat);
    });
    expect(once).toEqual(['EVALSHA']);
    expect(declined?.declined).toBe(true);
    expect((await b.service.get('a1')).state.work.map((w) => w.workItemId)).toEqual(['c1']);
  });

  it('does not save over a record changed by hand since it was kept: it is read, found unreadable and reported', async () => {
    const options = { keyPrefix: `trip${++prefixes}:` };
    const a = processOn(options);
    await a.service.dispatch('a1', { type: 'signIn', at: 1_000 });
    const key = a.adapters.store.keysOf('a1').record;
    await redis.client.sendCommand(['HSET', key, 'r', '{"schemaVersion":1,']);
    // The save from the record kept here finds other text (its digest), and the record is then read and checked.
    const sent = await a.commands(() =>
      expect(a.service.dispatch('a1', { type: 'heartbeat', at: 2_000 })).rejects.toMatchObject({ name: 'UnreadableRecordError', agentId: 'a1' }),
    );
    expect(sent).toEqual(['EVALSHA', 'HMGET']);
    expect(await redis.client.sendCommand(['HGET', key, 'r'])).toBe('{"schemaVersion":1,');
    expect(a.service.unreadableAgents().map((u) => u.agentId)).toEqual(['a1']);
  });
});

describe('a save on Redis', () => {
  it('writes the state to the stream once, cut from the record it sends (ids of any characters)', async () => {
    const options = { keyPrefix: `state${++prefixes}:` };
    const a = processOn(options);
    const id = 'ágent-☎-\u{1F600}';
    await a.service.dispatch(id, { type: 'signIn', sessionId: 'séance', at: 1_000 });
    const { entries } = await a.adapters.changes.read();
    expect(entries.map((e) => e.state)).toEqual([(await a.service.get(id)).state]);
  });
});

describe('a heartbeat on Redis', () => {
  it('adds a stream entry without the state, moves the deadline, and followers elsewhere take nothing from it', async () => {
    const options = { keyPrefix: `beat${++prefixes}:` };
    const a = processOn(options);
    const b = processOn(options);
    const heard: PresenceChange[] = [];
    b.service.subscribe((c) => heard.push(c));
    const followErrors: unknown[] = [];
    const follower = b.adapters.changes.follow(b.service, { pollMs: 5, onError: (e) => followErrors.push(e) });
    await a.service.dispatch('a1', { type: 'signIn', sessionId: 's1', at: 1_000 });
    await a.service.dispatch('a1', { type: 'signIn', sessionId: 's2', at: 1_100 });
    const keys = a.adapters.store.keysOf('a1');
    const entries = () => redis.client.sendCommand<[string, string[]][]>(['XRANGE', keys.stream, '-', '+']);
    const before = await entries();
    await a.service.dispatch('a1', { type: 'heartbeat', sessionId: 's1', at: 30_000, eventId: 'beat-1' });
    const after = await entries();
    expect(after).toHaveLength(before.length + 1);
    const [, fields] = after.at(-1)!;
    expect(fields.filter((_, i) => i % 2 === 0)).toEqual(['agent', 'version', 'generation', 'quiet', 'event']);
    expect(fields.join('').length).toBeLessThan(120);
    // The session's expiry moved with the heartbeat: 60 s after it (s2's, heard at 1,100, comes first).
    expect(await redis.client.sendCommand(['HGET', keys.deadlines, 'a1'])).toBe(String(machine.nextDeadline((await a.service.get('a1')).state)));
    await a.service.dispatch('a1', { type: 'heartbeat', sessionId: 's2', at: 30_000 });
    expect(await redis.client.sendCommand(['HGET', keys.deadlines, 'a1'])).toBe('90000');
    await a.service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 31_000 });
    await follower.caughtUp();
    await follower.stop();
    expect(followErrors).toEqual([]);
    expect(heard.map((c) => `${c.version} ${c.to.presenceId}`)).toEqual(['1 available', '5 away']);
  });
});
