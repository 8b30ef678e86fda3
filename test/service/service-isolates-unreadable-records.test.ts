import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { PresenceSnapshotError } from '../../src/schema/index';
import {
  createMemoryPresenceStore,
  createPresenceService,
  snapshotRecord,
  UnreadableRecordError,
  type PresenceServiceOptions,
  type PresenceStore,
  type ServiceErrorContext,
} from '../../src/service/index';
import { createJsonTextStore } from '../helpers/jsonTextStore';
import { manualClock, recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 60_000 } });
const START = Date.UTC(2026, 0, 5, 9);
const everyone = { units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'] as const, limit: 100, order: 'mostFree' as const };

function setup(options: Partial<PresenceServiceOptions> = {}) {
  const store = createJsonTextStore();
  const clock = manualClock(START);
  const scheduler = recordingScheduler();
  const errors: [unknown, ServiceErrorContext][] = [];
  const service = createPresenceService({ machine, store, clock, scheduler, onError: (error, context) => errors.push([error, context]), ...options });
  return { store, clock, scheduler, errors, service };
}

/** a1…a5 signed in; then a2's record is corrupt JSON, a4's has a null time. */
async function fleet(s: ReturnType<typeof setup>) {
  for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await s.service.dispatch(id, { type: 'signIn', at: START, eventId: `in-${id}` });
  s.store.put('a2', '{"schemaVersion":1,"state":{"agentId":"a2"', 1);
  const a4 = JSON.parse(s.store.rows.get('a4')!.text) as { state: Record<string, unknown> };
  s.store.put('a4', JSON.stringify({ ...a4, state: { ...a4.state, since: null } }), 1);
}

const ids = (candidates: readonly { agentId: string }[]) => candidates.map((c) => c.agentId).sort();

describe('an unreadable record stops nobody else', () => {
  it('a fresh service routes and arms every other agent, and reports each unreadable one once, by agent and cause', async () => {
    const first = setup();
    await fleet(first);
    const s = setup({ store: first.store });
    expect(ids(await s.service.findAvailable({ ...everyone, bases: [...everyone.bases] }))).toEqual(['a1', 'a3', 'a5']);
    expect(await s.service.armTimers()).toBe(3);
    expect([...s.scheduler.timers.keys()].sort()).toEqual(['a1', 'a3', 'a5']);
    await s.service.rebuildRoster();
    // Told once per agent, however many listings met it.
    expect(s.errors.map(([error, context]) => [context.kind, context.agentId, (error as Error).name])).toEqual([
      ['unreadable', 'a2', 'UnreadableRecordError'],
      ['unreadable', 'a4', 'UnreadableRecordError'],
    ]);
    const [a2, a4] = s.errors.map(([error]) => error as UnreadableRecordError);
    expect(a2!.message).toMatch(/^Agent "a2": the stored record \(version 1\) cannot be read: Invalid presence snapshot:\n- \(root\): must be JSON/);
    expect(a2!.message).toContain('Repair it with service.repairAgent("a2")');
    expect(a4).toMatchObject({ agentId: 'a4', version: 1, newerSchema: false, code: 'RECORD_UNREADABLE' });
    expect(a4!.cause).toBeInstanceOf(PresenceSnapshotError);
    expect(a4!.message).toContain('state.since: must be a finite number');
    expect(s.service.unreadableAgents().map((a) => [a.agentId, a.since, a.error])).toEqual([
      ['a2', START, a2],
      ['a4', START, a4],
    ]);
  });

  it('refuses a dispatch or a get of the unreadable agent by name, changes nothing, and stops offering it', async () => {
    const s = setup();
    for (const id of ['a1', 'a2']) await s.service.dispatch(id, { type: 'signIn', at: START });
    expect(ids(await s.service.findAvailable({ ...everyone, bases: [...everyone.bases] }))).toEqual(['a1', 'a2']);
    s.store.put('a2', 'not json at all');
    const refused = await s.service.dispatch('a2', { type: 'setPresence', presenceId: 'away', at: START + 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnreadableRecordError);
    expect(refused).toMatchObject({ agentId: 'a2', version: 2 });
    await expect(s.service.get('a2')).rejects.toThrow(UnreadableRecordError);
    await expect(s.service.timeInStatus('a2', { from: START, to: START + 1 })).rejects.toThrow(UnreadableRecordError);
    expect(s.store.rows.get('a2')).toEqual({ version: 2, text: 'not json at all' });
    // Nobody can dispatch to it: it is no longer offered, and the others still are.
    expect(ids(await s.service.findAvailable({ ...everyone, bases: [...everyone.bases] }))).toEqual(['a1']);
    expect(s.errors.map(([, c]) => [c.kind, c.agentId])).toEqual([['unreadable', 'a2']]);
  });

  it('takes a PresenceSnapshotError from a store of ones own as an unreadable record too', async () => {
    const inner = createMemoryPresenceStore();
    const store: PresenceStore = {
      load: async (agentId) =>
        agentId === 'bad' ? Promise.reject(new PresenceSnapshotError([{ path: ['state', 'base'], message: 'must be a base' }])) : inner.load(agentId),
      save: (agentId, record, expected) => inner.save(agentId, record, expected),
      list: () => inner.list(),
    };
    const s = setup({ store });
    const error = await s.service.get('bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableRecordError);
    expect((error as UnreadableRecordError).cause).toBeInstanceOf(PresenceSnapshotError);
    expect(s.service.unreadableAgents().map((a) => a.agentId)).toEqual(['bad']);
  });

  it('names a record a newer release wrote as such: upgrade, not repair', async () => {
    const s = setup();
    await s.service.dispatch('a1', { type: 'signIn', at: START });
    const row = JSON.parse(s.store.rows.get('a1')!.text) as object;
    s.store.put('a1', JSON.stringify({ ...row, schemaVersion: 2 }));
    const error = (await s.service.get('a1').catch((e: unknown) => e)) as UnreadableRecordError;
    expect(error).toMatchObject({ newerSchema: true, schemaVersion: 2, version: 2 });
    expect(error.message).toContain('written by a newer release (schemaVersion 2; this release reads 1): upgrade this process');
  });

  it('lifts an agent once a later version reads (from the store, or ingested from another process), not an older one', async () => {
    const s = setup();
    await s.service.dispatch('a1', { type: 'signIn', at: START });
    const good = s.store.rows.get('a1')!;
    s.store.put('a1', '{', 5);
    await s.service.get('a1').catch(() => {});
    const state = machine.transition(machine.initialState('a1'), { type: 'signIn', at: START }).state;
    // An entry at or below the unreadable version is old news: still out of the roster, still listed.
    expect(s.service.ingest({ agentId: 'a1', state, version: 5 })).toBe(false);
    expect(s.service.unreadableAgents().map((a) => a.agentId)).toEqual(['a1']);
    expect(await s.service.findAvailable({ ...everyone, bases: [...everyone.bases] })).toEqual([]);
    // A later one (repaired elsewhere) is taken.
    expect(s.service.ingest({ agentId: 'a1', state, version: 6 })).toBe(true);
    expect(s.service.unreadableAgents()).toEqual([]);
    expect(ids(await s.service.findAvailable({ ...everyone, bases: [...everyone.bases] }))).toEqual(['a1']);
    // And from the store: readable again, listed no more.
    s.store.put('a1', '{', 7);
    await s.service.get('a1').catch(() => {});
    s.store.put('a1', good.text, 8);
    expect((await s.service.get('a1')).version).toBe(8);
    expect(s.service.unreadableAgents()).toEqual([]);
    // Told again when it breaks again after reading fine.
    expect(s.errors.map(([, c]) => c.agentId)).toEqual(['a1', 'a1']);
  });

  it('forgets the signed-out agents past an unreadable record', async () => {
    const s = setup({ forgetSignedOutAfterMs: 60_000, dedupWindowMs: 1 });
    for (const id of ['a1', 'a2', 'a3']) {
      await s.service.dispatch(id, { type: 'signIn', at: START });
      await s.service.dispatch(id, { type: 'signOut', at: START });
    }
    s.store.put('a2', JSON.stringify({ ...snapshotRecord({ state: machine.initialState('a2', START), seen: [] }), seen: 'nope' }));
    s.clock.advance(120_000);
    expect(await s.service.forgetSignedOut()).toBe(2);
    expect([...s.store.rows.keys()]).toEqual(['a2']);
    expect(s.errors.map(([, c]) => [c.kind, c.agentId])).toEqual([['unreadable', 'a2']]);
  });
});
