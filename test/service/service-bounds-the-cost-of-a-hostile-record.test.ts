/**
 * A stored record written by someone else (a bad migration, a hand edit, an attacker with the store's password) can
 * be huge. Reading it, reporting it and repairing it cost what reading its text costs, not what listing every problem
 * in it costs: the problems listed stop at MAX_ISSUES, arrays past the machine's limits are refused without looking at
 * their items, and a repair examines only the remembered ids the service would keep (`dedupMaxIds`).
 * Before: 500,000 bad remembered ids made a 70 MB error message (to onError, and kept by unreadableAgents()), and
 * their repair examined each one (14 s with the event loop blocked), returning 500,000 `dropped` entries.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { restore } from '../../src/schema/index';
import { createPresenceService, restoreRecord, snapshotRecord, UnreadableRecordError, type ServiceErrorContext } from '../../src/service/index';
import { MAX_ISSUES } from '../../src/schema/ShapeCheck';
import { createJsonTextStore } from '../helpers/jsonTextStore';
import { manualClock } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const START = Date.UTC(2026, 0, 5, 9);

/** A seen entry as the service writes one. */
const seenEntry = (eventId: string) => ({
  eventId,
  seenAt: START,
  version: 1,
  result: { presence: { presenceId: 'available', base: 'Available', name: 'Available', text: 'Available', source: 'capacity', since: START }, changed: true },
});

describe('a hostile stored record', () => {
  it('with 200,000 bad remembered ids is reported with the first problems, then a note, and repaired looking at the newest dedupMaxIds only', async () => {
    const store = createJsonTextStore();
    const errors: [unknown, ServiceErrorContext][] = [];
    const service = createPresenceService({ machine, store, clock: manualClock(START), dedupMaxIds: 20, onError: (e, c) => errors.push([e, c]) });
    await service.dispatch('a1', { type: 'signIn', sessionId: 'desk', at: START });
    await service.dispatch('ok', { type: 'signIn', sessionId: 'desk', at: START });
    const good = JSON.parse(store.rows.get('a1')!.text) as { state: unknown };
    const seen = [...Array.from({ length: 200_000 }, (_, i) => ({ eventId: `e${i}`, seenAt: -1 })), seenEntry('last-good')];
    store.put('a1', JSON.stringify({ schemaVersion: 1, state: good.state, seen }));

    expect(await service.rebuildRoster()).toBe(1); // the other agent is routed
    const [[error, context]] = errors as [[UnreadableRecordError, ServiceErrorContext]];
    expect(context).toEqual({ kind: 'unreadable', agentId: 'a1' });
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Agent "a1": the stored record (version 2) cannot be read: Invalid presence snapshot:');
    expect(lines[1]).toBe('- seen[0].seenAt: must be a finite number ≥ 0 and ≤ 8640000000000000 (got -1)');
    // MAX_ISSUES problems, then where the looking stopped; then what to do.
    expect(lines).toHaveLength(1 + MAX_ISSUES + 1 + 1);
    expect(lines.at(-2)).toBe(`- seen[${MAX_ISSUES / 2}]: not looked into, nor what follows: ${MAX_ISSUES} problems were found before it`);
    expect(lines.at(-1)).toBe('Repair it with service.repairAgent("a1") (see "Poisoned records" in docs/scale-out.md).');
    expect(error.message.length).toBeLessThan(10_000);

    const repair = await service.repairAgent('a1');
    expect(repair).toMatchObject({ repaired: true, kept: { sessions: 1, seen: 1 } });
    expect(repair.dropped).toHaveLength(1 + 19);
    expect(repair.dropped[0]).toEqual({ path: ['seen'], message: 'holds 200001 remembered ids: the oldest 199981 not kept (dedupMaxIds is 20)' });
    expect(repair.dropped[1]).toEqual({ path: ['seen', 199_981, 'seenAt'], message: 'must be a finite number ≥ 0 and ≤ 8640000000000000 (got -1): not kept' });
    expect((await store.load('a1'))!.record.seen.map((s) => s.eventId)).toEqual(['last-good']);
  }, 60_000); // megabytes of JSON: well under a second alone, a bound generous enough for a loaded machine

  it('holding a million work items is refused for their number, without a problem per item', () => {
    const state = machine.transition(machine.initialState('a1', START), { type: 'signIn', at: START }).state;
    const item = { workItemId: 'w', units: -1, since: START };
    const snapshot = { schemaVersion: 1, state: { ...state, work: Array.from({ length: 1_000_000 }, () => item) } };
    expect(() => restore(snapshot)).toThrow('Invalid presence snapshot:\n- state.work: must hold at most 1000 items (got 1000000)');
    const sessions = Array.from({ length: 65 }, (_, i) => ({ sessionId: `s${i}`, lastSeen: 'x' }));
    expect(() => restore({ schemaVersion: 1, state: { ...state, sessions } })).toThrow(
      /^Invalid presence snapshot:\n- state.sessions: must hold at most 64 sessions \(got 65\)$/,
    );
  }, 60_000); // megabytes of JSON: well under a second alone, a bound generous enough for a loaded machine

  it('with 100,000 unknown fields, one of them 1 MB long, lists the first ones with their names cut', () => {
    const state = machine.initialState('a1', START);
    const extra = Object.fromEntries([[`k${'x'.repeat(1_000_000)}`, 1], ...Array.from({ length: 100_000 }, (_, i) => [`f${i}`, i])]);
    const text = JSON.stringify({ ...snapshotRecord({ state, seen: [] }), state: { ...state, ...extra } });
    let thrown: unknown;
    try {
      restoreRecord(text);
    } catch (error) {
      thrown = error;
    }
    const message = (thrown as Error).message;
    expect(message.split('\n')[1]).toBe(`- state["k${'x'.repeat(59)}…"]: is not a known field`);
    expect(message.split('\n')).toHaveLength(1 + MAX_ISSUES + 1);
    expect(message.length).toBeLessThan(5_000);
  }, 60_000); // megabytes of JSON: well under a second alone, a bound generous enough for a loaded machine
});
