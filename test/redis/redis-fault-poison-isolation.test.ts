/**
 * One bad thing in Redis never stops the fleet. Three worker processes (test/helpers/redisFaultWorker.ts) share 68
 * agents on 8 shards of one redis-server; before they start, four records are made unreadable — corrupt JSON, a key
 * of another type (a list where the record hash belongs), a state `restore` refuses (`null` where a time belongs),
 * a record a newer release wrote (`schemaVersion` 2) — and a good agent's deadline is garbage. Once they follow the
 * stream, three unreadable entries are appended (shards 3, 5 and 7), `onEntry` throws once for one agent and always
 * for another, and the workers change every good agent's presence. Every worker still:
 *
 * - routes every good agent (findAvailable), from a fresh start, with the four unreadable ones reported once each
 *   (`onError` kind `unreadable`) and listed by `unreadableAgents()`; a dispatch to one throws UnreadableRecordError;
 * - hears every change of every shard (64/64), with each bad entry reported (shard, entry id, agent, step) and
 *   passed, `onEntry` tried again (once for the flaky agent, three times then skipped for the broken one), and
 *   `caughtUp()` resolving;
 * - and the garbage deadline is reported once across the three (agent, value) and replaced by the agent's own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPresenceService } from '../../src/service/index';
import { createRedisPresence, type RedisPresenceOptions } from '../../src/redis/index';
import { faultMachine as machine, startFaultWorker, type FaultWorker, type WorkerReport } from '../helpers/redisFault';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const OPTIONS: RedisPresenceOptions = { keyPrefix: 'poison:', shards: 8, leaseMs: 1_000 };
const workers: FaultWorker[] = [];
afterAll(() => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
});

describe('one unreadable record, stream entry, listener or deadline, with 3 processes on 8 shards', () => {
  it('stops nobody else: every good agent is routed and heard in every shard, each bad thing is reported once and passed', async () => {
    const seed = createRedisPresence(redis.client, OPTIONS);
    const store = seed.store;
    const shardOf = (agentId: string) => store.keysOf(agentId).shard;
    /** The first id `<prefix><n>` on the shard. */
    const onShard = (prefix: string, shard: number) => {
      for (let n = 0; ; n++) if (shardOf(`${prefix}${n}`) === shard) return `${prefix}${n}`;
    };
    const good: string[] = [];
    const perShard = new Map<number, number>();
    for (let n = 0; good.length < 64; n++) {
      const id = `agent-${n}`;
      const shard = shardOf(id);
      if ((perShard.get(shard) ?? 0) < 8) {
        good.push(id);
        perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
      }
    }
    const bad = { json: onShard('bad-json-', 1), type: onShard('bad-type-', 2), newer: onShard('bad-newer-', 3), nullTime: onShard('bad-null-', 5) };
    const flaky = good.find((id) => shardOf(id) === 2)!;
    const broken = good.find((id) => shardOf(id) === 4)!;
    const lateDeadline = good.find((id) => shardOf(id) === 6)!;
    const corruptEntryOf = good.find((id) => shardOf(id) === 7)!;

    // Every agent signs in; then the damage.
    const seeder = createPresenceService({ machine, ...seed.ports });
    await Promise.all([...good, ...Object.values(bad)].map((id) => seeder.dispatch(id, { type: 'signIn', sessionId: 'desk' })));
    const send = (args: string[]): Promise<unknown> => redis.client.sendCommand(args);
    const recordOf = async (id: string) => JSON.parse((await send(['HGET', store.keysOf(id).record, 'r'])) as string) as Record<string, any>;
    const json = await recordOf(bad.json);
    await send(['HSET', store.keysOf(bad.json).record, 'r', JSON.stringify(json).slice(0, 40)]);
    await send(['DEL', store.keysOf(bad.type).record]);
    await send(['RPUSH', store.keysOf(bad.type).record, 'not a record']);
    const nullTime = await recordOf(bad.nullTime);
    await send(['HSET', store.keysOf(bad.nullTime).record, 'r', JSON.stringify({ ...nullTime, state: { ...nullTime.state, since: null } })]);
    const newer = await recordOf(bad.newer);
    await send(['HSET', store.keysOf(bad.newer).record, 'r', JSON.stringify({ ...newer, schemaVersion: 2, state: { ...newer.state, mood: 'calm' } })]);
    await send(['HSET', store.keysOf(lateDeadline).deadlines, lateDeadline, 'soon']);
    await send(['ZADD', store.keysOf(lateDeadline).timers, '0', lateDeadline]);

    // Three fresh servers start on this Redis.
    const began = Date.now();
    for (let i = 0; i < 3; i++) workers.push(startFaultWorker(i, redis.server.url, { redis: OPTIONS, flakyAgent: flaky, brokenAgent: broken }));
    await Promise.all(workers.map((w) => w.next('ready')));
    const routed = await Promise.all(workers.map((w) => w.ask({ t: 'route' }, 'routed')));

    // Unreadable entries in shards 3, 5 and 7, then one change of every good agent, spread over the workers.
    const entry = (id: string, version: number, state: string) =>
      send(['XADD', store.keysOf(id).stream, '*', 'agent', id, 'version', String(version), 'state', state]) as Promise<string>;
    const badEntries = [
      { shard: 3, agentId: bad.newer, entryId: await entry(bad.newer, 2, JSON.stringify({ ...newer, schemaVersion: 2, seen: undefined })) },
      { shard: 5, agentId: bad.nullTime, entryId: await entry(bad.nullTime, 2, '{"schemaVersion":1,"state":{"agen') },
      {
        shard: 7,
        agentId: corruptEntryOf,
        entryId: await entry(corruptEntryOf, 2, JSON.stringify({ schemaVersion: 1, state: { ...(await recordOf(corruptEntryOf)).state, lastAt: null } })),
      },
    ];
    const dispatched = await Promise.all(
      workers.map((w) =>
        w.ask({ t: 'dispatch', agents: good.filter((_, i) => i % 3 === w.index), event: { type: 'setPresence', presenceId: 'away' } }, 'dispatched'),
      ),
    );
    const toBad = await workers[0]!.ask({ t: 'dispatch', agents: Object.values(bad), event: { type: 'setPresence', presenceId: 'away' } }, 'dispatched');
    const reports: WorkerReport[] = (await Promise.all(workers.map((w) => w.ask({ t: 'report' }, 'report')))).map((m) => m.report);
    await Promise.all(workers.map((w) => w.ask({ t: 'stop' }, 'stopped')));

    // The figures, before the checks: what each worker routed and heard, per shard.
    const shardCount = (agents: Iterable<string>) => {
      const counts = Array.from({ length: 8 }, () => 0);
      for (const id of agents) counts[shardOf(id)]!++;
      return counts;
    };
    const heardAway = reports.map((r) => new Set(r.heard.filter(([id, , presenceId]) => good.includes(id) && presenceId === 'away').map(([id]) => id)));
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    const summary = reports.map((r, i) => {
      // The changes the two other workers saved reach this one through the stream only.
      const others = good.filter((_, n) => n % 3 !== i);
      const sent = shardCount(others);
      const got = shardCount(others.filter((id) => heardAway[i]!.has(id)));
      return (
        `worker ${i}: routed ${routed[i]!.roster === null ? `nobody (${routed[i]!.error?.message.split('\n')[0]})` : `${routed[i]!.roster.filter(([id]) => good.includes(id)).length}/64`} at start; ` +
        `heard ${heardAway[i]!.size}/64 changes, the others' through the stream: shards 0–2 ${sum(got.slice(0, 3))}/${sum(sent.slice(0, 3))}, ` +
        `3–7 ${sum(got.slice(3))}/${sum(sent.slice(3))}; caughtUp ${r.caughtUp}; follower reports ${r.followerErrors.length}, ` +
        `timer reports ${r.timerErrors.length}, unreadable listed ${r.unreadable?.length ?? 'n/a'}`
      );
    });
    console.log(`poison isolation (${Date.now() - began} ms):\n  ${summary.join('\n  ')}`);

    expect(dispatched.flatMap((d) => d.results.filter((r) => r.error !== null))).toEqual([]);
    // Each dispatch to an unreadable agent is refused by name; nothing is applied.
    expect(toBad.results.map((r) => [r.agentId, r.error?.name, r.error?.code])).toEqual(
      Object.values(bad).map((id) => [id, 'UnreadableRecordError', 'RECORD_UNREADABLE']),
    );

    const badIds = Object.values(bad).sort();
    for (const [i, report] of reports.entries()) {
      const at = `worker ${i}`;
      // Routing from a fresh start, and after the changes: every good agent, no unreadable one.
      expect(routed[i]!.error, at).toBeNull();
      expect(routed[i]!.roster!.map(([id]) => id).sort(), at).toEqual([...good].sort());
      expect(report.rosterError, at).toBeNull();
      const stored = new Map(await Promise.all(good.map(async (id) => [id, (await store.load(id))!.version] as const)));
      expect(new Map(report.roster), at).toEqual(stored);
      // Heard: every shard, every change.
      expect(report.caughtUp, at).toBe(true);
      expect(shardCount(heardAway[i]!), at).toEqual([8, 8, 8, 8, 8, 8, 8, 8]);
      // The unreadable records: reported once each, listed, newer one named as such.
      expect(
        report.serviceErrors
          .filter((e) => e.kind === 'unreadable')
          .map((e) => e.agentId)
          .sort(),
        at,
      ).toEqual(badIds);
      expect(
        report.serviceErrors.filter((e) => e.kind !== 'unreadable'),
        at,
      ).toEqual([]);
      expect(report.unreadable?.map((e) => [e.agentId, e.newerSchema]).sort(), at).toEqual(badIds.map((id) => [id, id === bad.newer]));
      // The follower: each unreadable entry reported with its shard, id and agent, and passed.
      // In shard order: a follower's pass may meet them in any order (they were appended while it read).
      const reads = report.followerErrors.filter((e) => e.step === 'read').sort((a, b) => (a.shard ?? 0) - (b.shard ?? 0));
      expect(
        reads.map((e) => ({ shard: e.shard, agentId: e.agentId, entryId: e.entryId, skipped: e.skipped, name: e.name })),
        at,
      ).toEqual(badEntries.map((b) => ({ ...b, skipped: true, name: 'RedisChangeEntryError' })));
      expect(reads[0]!.message, at).toMatch(/schemaVersion: must be 1, the snapshot version this release reads \(got 2\)/);
      expect(reads[1]!.message, at).toMatch(/must be JSON/);
      expect(reads[2]!.message, at).toMatch(/state\.lastAt: must be a finite number/);
      // onEntry: tried again after a throw; the one that keeps throwing skipped after 3 attempts.
      const flakyKey = `${flaky} v2`;
      const brokenKey = `${broken} v2`;
      const listenerReports = (agentId: string) =>
        report.followerErrors.filter((e) => e.step === 'onEntry' && e.agentId === agentId).map((e) => [e.entryId !== undefined, e.attempts, e.skipped]);
      expect(listenerReports(flaky), at).toEqual([[true, 1, false]]);
      expect(listenerReports(broken), at).toEqual([
        [true, 1, false],
        [true, 2, false],
        [true, 3, true],
      ]);
      expect([report.onEntryCalls[flakyKey], report.onEntryCalls[brokenKey]], at).toEqual([2, 3]);
      expect(report.followerErrors, at).toHaveLength(3 + 4);
    }

    // The garbage deadline: reported once across the three workers, with the agent and the value; replaced by the
    // agent's own (its session's expiry), saved by a tick.
    const deadlineReports = reports.flatMap((r) => r.timerErrors);
    expect(deadlineReports.map((e) => e.agentId)).toEqual([lateDeadline]);
    expect(deadlineReports[0]!.message).toContain(`"soon"`);
    const after = (await store.load(lateDeadline))!;
    expect(await send(['HGET', store.keysOf(lateDeadline).deadlines, lateDeadline])).toBe(String(machine.nextDeadline(after.record.state)));
    expect(after.record.seen.some((s) => s.eventId.startsWith('tick@'))).toBe(true);
  }, 60_000);
});
