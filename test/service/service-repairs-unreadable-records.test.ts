import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceState } from '../../src/index';
import {
  createMemoryHistoryStore,
  createMemoryPresenceStore,
  createPresenceService,
  restoreRecord,
  snapshotRecord,
  UnreadableRecordError,
  type PresenceChange,
  type PresenceServiceOptions,
  type PresenceStore,
  type ServiceErrorContext,
} from '../../src/service/index';
import { createJsonTextStore } from '../helpers/jsonTextStore';
import { manualClock, recordingPublisher, recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 60_000 } });
const START = Date.UTC(2026, 0, 5, 9);
const everyone = { units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'], limit: 100, order: 'mostFree' } as const;

function setup(options: Partial<PresenceServiceOptions> = {}) {
  const clock = manualClock(START);
  const scheduler = recordingScheduler();
  const publisher = recordingPublisher();
  const history = createMemoryHistoryStore();
  const errors: [unknown, ServiceErrorContext][] = [];
  const heard: PresenceChange[] = [];
  const service = createPresenceService({
    machine,
    clock,
    scheduler,
    publisher,
    history,
    onError: (error, context) => errors.push([error, context]),
    ...options,
  });
  service.subscribe((change) => heard.push(change));
  return { clock, scheduler, publisher, history, errors, heard, service };
}

const text = (state: unknown, seen: unknown = []) => JSON.stringify({ schemaVersion: 1, state, seen });

describe('repairAgent', () => {
  it('on the memory store: replaces a record saved broken through the normal save, heard, recorded, published and armed', async () => {
    const store = createMemoryPresenceStore();
    const s = setup({ store });
    await s.service.dispatch('a1', { type: 'signIn', sessionId: 'desk', at: START, eventId: 'in' });
    await s.service.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 30, at: START, eventId: 'c1' });
    const { record } = (await store.load('a1'))!;
    await store.save('a1', { state: { ...record.state, lastActivity: null } as unknown as PresenceState, seen: record.seen }, 2);
    s.clock.advance(5_000);
    const repair = await s.service.repairAgent('a1');
    expect(repair).toMatchObject({ agentId: 'a1', repaired: true, version: 4, kept: { sessions: 1, work: 1, choice: false, seen: 2 }, dropped: [] });
    expect(repair.problem).toContain('state.lastActivity: must be a finite number');
    const stored = (await store.load('a1'))!;
    expect(stored.version).toBe(4);
    expect(restoreRecord(snapshotRecord(stored.record))).toEqual(stored.record);
    expect(stored.record.state).toMatchObject({ signedIn: true, since: START + 5_000, lastAt: START + 5_000 });
    expect(stored.record.state.work.map((w) => [w.workItemId, w.units])).toEqual([['c1', 30]]);
    expect(stored.record.seen.map((e) => e.eventId)).toEqual(['in', 'c1']);
    // The normal after-save duties: a change from the presence the history last recorded, to the listeners, the
    // history and the publisher; the timer at the new state's deadline; the roster.
    const change = { agentId: 'a1', version: 4, from: { presenceId: 'busy' }, to: { presenceId: 'busy' }, at: START + 5_000 };
    expect(s.heard.at(-1)).toMatchObject(change);
    expect(s.publisher.changes.at(-1)).toMatchObject(change);
    expect((await s.history.read('a1', { from: START + 5_000, to: START + 5_001 })).at(-1)).toMatchObject(change);
    expect(s.scheduler.calls.at(-1)).toBe(`set a1 ${machine.nextDeadline(stored.record.state)}`);
    expect((await s.service.findAvailable({ ...everyone, bases: [...everyone.bases] })).map((c) => [c.agentId, c.version])).toEqual([['a1', 4]]);
    expect(s.errors).toEqual([]);
    // Dispatching goes on from there.
    expect((await s.service.dispatch('a1', { type: 'workReleased', workItemId: 'c1', at: START + 6_000 })).version).toBe(5);
  });

  it('leaves a readable record alone, and says so; an agent never stored too', async () => {
    const store = createMemoryPresenceStore();
    const s = setup({ store });
    await s.service.dispatch('a1', { type: 'signIn', at: START });
    const heard = s.heard.length;
    expect(await s.service.repairAgent('a1')).toMatchObject({ repaired: false, version: 1, state: (await store.load('a1'))!.record.state, dropped: [] });
    expect(await s.service.repairAgent('nobody')).toMatchObject({ repaired: false, version: 0, presence: { presenceId: 'offline' } });
    expect((await store.load('a1'))!.version).toBe(1);
    expect(store.size).toBe(1);
    expect(s.heard).toHaveLength(heard);
  });

  it('keeps what reads, rebuilt by the rules, and names each part it leaves out', async () => {
    const store = createJsonTextStore();
    const s = setup({ store });
    await s.service.dispatch('a1', { type: 'signIn', at: START });
    s.clock.set(START + 10_000);
    const state = {
      agentId: 'a1',
      signedIn: 'yes',
      sessions: [{ sessionId: 'desk', lastSeen: START }, { sessionId: '' }, 'phone'],
      presenceId: 'busy',
      base: 'Busy',
      since: null,
      choice: { presenceId: 'away', base: 'Away', source: 'manual' },
      work: [
        { workItemId: 'c1', units: 40, since: START },
        { workItemId: 'c2', units: -5, since: START },
        { workItemId: 'c3', units: 10, since: START, wrapUpUntil: START + 5_000 },
        { workItemId: 'c4', units: 10, since: START, wrapUpUntil: START + 70_000 },
        { workItemId: 'c1', units: 40, since: START },
      ],
    };
    const broken = text(state, [
      { eventId: 'e1', seenAt: START, result: { presence: machine.presenceOf(machine.initialState('a1')), changed: true } },
      { eventId: '' },
    ]);
    store.put('a1', broken);
    const repair = await s.service.repairAgent('a1');
    expect(repair).toMatchObject({ repaired: true, version: 3, kept: { sessions: 1, work: 2, choice: true, seen: 1 } });
    expect(repair.dropped.map((d) => [d.path.join('.'), d.message])).toEqual([
      ['state.sessions.1.sessionId', 'must be a non-empty string of ≤ 256 characters (got ""): not kept'],
      ['state.sessions.2.sessionId', 'must be a non-empty string of ≤ 256 characters (got undefined): not kept'],
      ['state.work.1.units', 'must be a finite number ≥ 0 (got -5): not kept'],
      ['state.work.2.wrapUpUntil', `its wrap-up ended (${START + 5_000}): not kept`],
      ['state.work.4', expect.stringMatching(/^not kept: DUPLICATE_WORK_ITEM: /)],
      ['seen.1.eventId', 'must be a non-empty string of ≤ 256 characters (got ""): not kept'],
    ]);
    expect(repair.state.work.map((w) => [w.workItemId, w.wrapUpUntil])).toEqual([
      ['c1', undefined],
      ['c4', START + 70_000],
    ]);
    expect(repair.presence.presenceId).toBe('away');
    expect(repair.replaced).toBe(broken);
    expect(restoreRecord(store.rows.get('a1')!.text).state).toEqual(repair.state);
  });

  it('signs the agent out at the clock when nothing can be read, or the record is another agent’s', async () => {
    const store = createJsonTextStore();
    const s = setup({ store });
    store.put('a1', '{"schemaVersion":1,"state":', 7);
    const other = machine.transition(machine.initialState('a2'), { type: 'signIn', at: START }).state;
    store.put('a2', text(other).replace('"a2"', '"a3"'), 2);
    const [a1, a2] = [await s.service.repairAgent('a1'), await s.service.repairAgent('a2')];
    expect(a1).toMatchObject({ repaired: true, version: 8, state: machine.initialState('a1', START), kept: { sessions: 0, work: 0, choice: false, seen: 0 } });
    expect(a1.dropped.map((d) => d.message)).toEqual([expect.stringMatching(/^is not JSON \(.*\): nothing of it kept$/)]);
    expect(a2).toMatchObject({ repaired: true, version: 3, state: machine.initialState('a2', START) });
    expect(a2.problem).toBe('the record holds the state of agent "a3"');
    expect(a2.dropped.map((d) => d.path.join('.'))).toEqual(['state.agentId']);
    // A change for each, from the initial presence (the history has none of them), so every listener hears of it.
    expect(s.heard.map((c) => [c.agentId, c.version, c.from.presenceId, c.to.presenceId])).toEqual([
      ['a1', 8, 'offline', 'offline'],
      ['a2', 3, 'offline', 'offline'],
    ]);
  });

  it('refuses a record a newer release wrote unless told to replace it', async () => {
    const store = createJsonTextStore();
    const s = setup({ store });
    await s.service.dispatch('a1', { type: 'signIn', at: START });
    const newer = JSON.stringify({ ...JSON.parse(store.rows.get('a1')!.text), schemaVersion: 2 });
    store.put('a1', newer);
    const refused = await s.service.repairAgent('a1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnreadableRecordError);
    expect(refused).toMatchObject({ newerSchema: true, schemaVersion: 2, version: 2 });
    expect(store.rows.get('a1')).toEqual({ version: 2, text: newer });
    expect(s.service.unreadableAgents().map((a) => a.agentId)).toEqual(['a1']);
    const repair = await s.service.repairAgent('a1', { replaceNewerSchema: true });
    expect(repair).toMatchObject({ repaired: true, version: 3, kept: { sessions: 1 } });
    expect(s.service.unreadableAgents()).toEqual([]);
  });

  it('puts an unreadable agent back in the roster and takes it off the unreadable list', async () => {
    const store = createJsonTextStore();
    const s = setup({ store });
    for (const id of ['a1', 'a2']) await s.service.dispatch(id, { type: 'signIn', at: START });
    store.put('a2', '{');
    expect((await s.service.findAvailable({ ...everyone, bases: [...everyone.bases] })).map((c) => c.agentId)).toEqual(['a1']);
    await s.service.rebuildRoster();
    expect(s.service.unreadableAgents().map((a) => a.agentId)).toEqual(['a2']);
    await s.service.repairAgent('a2');
    expect(s.service.unreadableAgents()).toEqual([]);
    expect((await s.service.findAvailable({ ...everyone, bases: [...everyone.bases] })).map((c) => [c.agentId, c.version])).toEqual([
      ['a1', 1],
      ['a2', 3],
    ]);
  });

  it('tries again when another writer saves in between, by compare-and-set', async () => {
    const store = createJsonTextStore();
    const s = setup({ store });
    store.put('a1', '{', 4);
    store.conflictOnce();
    expect(await s.service.repairAgent('a1')).toMatchObject({ repaired: true, version: 6 });
    expect(s.heard.map((c) => c.version)).toEqual([6]);
  });

  it('refuses a bad agent id, and a store without readForRepair', async () => {
    const s = setup();
    await expect(s.service.repairAgent('')).rejects.toThrow(/^repairAgent: agentId must be a non-empty string/);
    const inner = createMemoryPresenceStore();
    const store: PresenceStore = { load: (id) => inner.load(id), save: (id, r, v) => inner.save(id, r, v), list: () => inner.list() };
    await expect(setup({ store }).service.repairAgent('a1')).rejects.toThrow(/repairAgent: the store has no readForRepair/);
  });
});
