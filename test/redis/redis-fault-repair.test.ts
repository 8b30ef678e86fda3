/**
 * Repair, with three worker processes (test/helpers/redisFaultWorker.ts) on one redis-server. Four agents' records
 * are made unreadable before the workers start — a state with `null` where a time belongs (its sessions and work
 * still readable), corrupt JSON, a key of another type, a record a newer release wrote — and one stays fine. Worker
 * 0 repairs them with `service.repairAgent`; the others hear each repair through the stream at the next version,
 * route the repaired agents again, lift them from `unreadableAgents()`, and dispatch to them. Each repair is a normal
 * save: one stream entry with a presence change, the history, the timer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPresenceService, restoreRecord, type AgentRepair, type PresenceChange } from '../../src/service/index';
import { createRedisPresence, type RedisPresenceOptions } from '../../src/redis/index';
import { faultMachine as machine, startFaultWorker, type FaultWorker } from '../helpers/redisFault';
import { useRedisServer } from '../helpers/redisServer';

const redis = useRedisServer();
const OPTIONS: RedisPresenceOptions = { keyPrefix: 'repair:', shards: 4 };
const workers: FaultWorker[] = [];
afterAll(() => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
});

describe('repairAgent, with 3 processes', () => {
  it('replaces each unreadable record through the normal save, keeping what can be read, heard and routed by every process', async () => {
    const seed = createRedisPresence(redis.client, OPTIONS);
    const store = seed.store;
    const send = (args: string[]): Promise<unknown> => redis.client.sendCommand(args);
    const good = Array.from({ length: 8 }, (_, i) => `ok-${i}`);
    const bad = { nullTime: 'rep-null', json: 'rep-json', type: 'rep-type', newer: 'rep-newer' };
    const fine = 'rep-fine';

    const seeder = createPresenceService({ machine, ...seed.ports });
    await Promise.all([...good, fine, ...Object.values(bad)].map((id) => seeder.dispatch(id, { type: 'signIn', sessionId: 'desk', eventId: `in-${id}` })));
    // rep-null: two sessions, an item held and one in wrap-up, manual Busy-DND, remembered event ids.
    const now = Date.now();
    for (const event of [
      { type: 'signIn' as const, sessionId: 'phone', eventId: 'phone' },
      { type: 'workAssigned' as const, workItemId: 'c1', units: 40, eventId: 'c1' },
      { type: 'workAssigned' as const, workItemId: 'c2', units: 20, eventId: 'c2' },
      { type: 'workReleased' as const, workItemId: 'c2', wrapUpMs: 600_000, eventId: 'c2-done' },
      { type: 'setPresence' as const, presenceId: 'busy-dnd', eventId: 'dnd' },
    ]) {
      await seeder.dispatch(bad.nullTime, event);
    }
    // rep-type: a few saves, so the versions to continue above are in the stream and the history.
    await seeder.dispatch(bad.type, { type: 'setPresence', presenceId: 'away' });
    await seeder.dispatch(bad.type, { type: 'setPresence', presenceId: 'available' });
    const versionsBefore = new Map(await Promise.all(Object.values(bad).map(async (id) => [id, (await store.load(id))!.version] as const)));
    const stateBefore = (await store.load(bad.nullTime))!.record.state;

    const keys = (id: string) => store.keysOf(id);
    const recordOf = async (id: string) => JSON.parse((await send(['HGET', keys(id).record, 'r'])) as string) as Record<string, any>;
    const nullTime = await recordOf(bad.nullTime);
    await send(['HSET', keys(bad.nullTime).record, 'r', JSON.stringify({ ...nullTime, state: { ...nullTime.state, lastAt: null } })]);
    await send(['HSET', keys(bad.json).record, 'r', '{"schemaVersion":1,"state":{"agentId":"rep-js']);
    await send(['DEL', keys(bad.type).record]);
    await send(['RPUSH', keys(bad.type).record, 'not a record']);
    const newer = await recordOf(bad.newer);
    await send(['HSET', keys(bad.newer).record, 'r', JSON.stringify({ ...newer, schemaVersion: 2 })]);

    for (let i = 0; i < 3; i++) workers.push(startFaultWorker(i, redis.server.url, { redis: OPTIONS }));
    await Promise.all(workers.map((w) => w.next('ready')));
    const before = await Promise.all(workers.map((w) => w.ask({ t: 'route' }, 'routed')));
    for (const routed of before) expect(routed.roster?.map(([id]) => id).sort()).toEqual([...good, fine].sort());

    // Worker 0 repairs; the newer release's record only when told to replace it.
    const first = (await workers[0]!.ask({ t: 'repair', agents: [...Object.values(bad), fine] }, 'repaired')).results;
    const forced = (await workers[0]!.ask({ t: 'repair', agents: [bad.newer], replaceNewerSchema: true }, 'repaired')).results;
    const repairs = new Map([...first, ...forced].filter((r) => r.repair !== null).map((r) => [r.agentId, r.repair as unknown as AgentRepair]));
    const refused = first.find((r) => r.agentId === bad.newer)!;
    expect(refused.error).toMatchObject({ name: 'UnreadableRecordError', newerSchema: true, agentId: bad.newer });
    expect(refused.error!.message).toContain('schemaVersion 2');

    // What each repair did, and kept.
    expect(repairs.get(fine)).toMatchObject({ repaired: false, version: (await store.load(fine))!.version, dropped: [] });
    const nullRepair = repairs.get(bad.nullTime)!;
    expect(nullRepair).toMatchObject({ repaired: true, version: versionsBefore.get(bad.nullTime)! + 1, kept: { sessions: 2, work: 2, choice: true, seen: 6 } });
    expect(nullRepair.problem).toContain('state.lastAt: must be a finite number');
    expect(nullRepair.state.sessions.map((s) => s.sessionId)).toEqual(['desk', 'phone']);
    expect(nullRepair.state.work.map((w) => [w.workItemId, w.units, w.wrapUpUntil !== undefined])).toEqual([
      ['c1', 40, false],
      ['c2', 20, true],
    ]);
    expect(nullRepair.state.work[1]!.wrapUpUntil).toBe(stateBefore.work[1]!.wrapUpUntil);
    expect(nullRepair.presence.presenceId).toBe('busy-dnd');
    expect(nullRepair.state.since).toBeGreaterThanOrEqual(now);
    const jsonRepair = repairs.get(bad.json)!;
    expect(jsonRepair).toMatchObject({ repaired: true, version: versionsBefore.get(bad.json)! + 1, kept: { sessions: 0, work: 0, choice: false, seen: 0 } });
    expect(jsonRepair.state.signedIn).toBe(false);
    expect(jsonRepair.dropped[0]!.message).toMatch(/^is not JSON/);
    expect(jsonRepair.replaced).toBe('{"schemaVersion":1,"state":{"agentId":"rep-js');
    // The key of another type: moved aside, kept for inspection; the versions go on above the stream's and history's.
    const typeRepair = repairs.get(bad.type)!;
    expect(typeRepair).toMatchObject({ repaired: true, version: versionsBefore.get(bad.type)! + 1 });
    expect(typeRepair.problem).toContain(`held a list, not a hash: moved aside to ${keys(bad.type).unreadable}`);
    expect(await send(['LRANGE', keys(bad.type).unreadable, '0', '-1'])).toEqual(['not a record']);
    expect(repairs.get(bad.newer)).toMatchObject({ repaired: true, version: versionsBefore.get(bad.newer)! + 1 });

    // Every repaired record reads, and is a normal save: its stream entry carries the change, so does the history, and
    // its timer is the new state's deadline.
    const repaired = [bad.nullTime, bad.json, bad.type, bad.newer];
    const { entries, unreadable } = await seed.changes.read({ count: 10_000 });
    expect(unreadable).toEqual([]);
    for (const id of repaired) {
      const stored = (await store.load(id))!;
      expect(stored.version, id).toBe(repairs.get(id)!.version);
      expect(restoreRecord(await send(['HGET', keys(id).record, 'r']))).toEqual(stored.record);
      const entry = entries.find((e) => e.agentId === id && e.version === stored.version)!;
      expect(entry.state, id).toEqual(stored.record.state);
      expect(entry.change?.to.presenceId, id).toBe(repairs.get(id)!.presence.presenceId);
      const history = JSON.parse((await send(['LINDEX', keys(id).history, '-1'])) as string) as PresenceChange;
      expect([history.version, history.to.presenceId], id).toEqual([stored.version, repairs.get(id)!.presence.presenceId]);
      const deadline = machine.nextDeadline(stored.record.state);
      expect(await send(['HGET', keys(id).deadlines, id]), id).toBe(deadline === undefined ? null : String(deadline));
    }
    // The change starts from the presence the history last recorded.
    expect(entries.find((e) => e.agentId === bad.type && e.version === repairs.get(bad.type)!.version)!.change!.from.presenceId).toBe('available');

    // Every process heard each repair, routes the repaired agents, and no longer lists them as unreadable.
    const reports = (await Promise.all(workers.map((w) => w.ask({ t: 'report' }, 'report')))).map((m) => m.report);
    for (const [i, report] of reports.entries()) {
      const at = `worker ${i}`;
      expect(report.caughtUp, at).toBe(true);
      for (const id of repaired) {
        expect(
          report.heard.filter(([agentId]) => agentId === id),
          `${at} ${id}`,
        ).toEqual([[id, repairs.get(id)!.version, repairs.get(id)!.presence.presenceId]]);
      }
      expect(report.unreadable, at).toEqual([]);
      const listable = [...good, fine, ...repaired].filter(
        (id) => machine.canTake(repairs.get(id)?.state ?? machine.initialState(id), { units: 0 }) || !repaired.includes(id),
      );
      expect(report.roster?.map(([id]) => id).sort(), at).toEqual(listable.sort());
      expect(new Map(report.roster).get(bad.nullTime), at).toBe(repairs.get(bad.nullTime)!.version);
      expect(
        report.serviceErrors.filter((e) => e.kind !== 'unreadable'),
        at,
      ).toEqual([]);
    }
    // Before the repair, each process had found the four unreadable, once each.
    for (const report of reports) expect(report.serviceErrors.map((e) => e.agentId).sort()).toEqual(Object.values(bad).sort());

    // Another process dispatches to the repaired agents as to any other.
    const after = await workers[1]!.ask({ t: 'dispatch', agents: repaired, event: { type: 'signIn', sessionId: 'tablet' } }, 'dispatched');
    expect(after.results.map((r) => [r.agentId, r.version, r.error])).toEqual(repaired.map((id) => [id, repairs.get(id)!.version + 1, null]));
    await Promise.all(workers.map((w) => w.ask({ t: 'stop' }, 'stopped')));
  }, 60_000);
});
