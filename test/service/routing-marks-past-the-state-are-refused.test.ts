/**
 * Routing marks are applied times of the agent's own events, so never later than the state's `lastAt`. A stored
 * record whose marks are later (hand-written, or a corrupt row) would rank the agent last in every longestIdle and
 * leastRecentlyOffered query for good (marks never move back, and a repair of a readable record keeps them):
 * `restoreRecord` refuses it, naming the mark, and `repairAgent` then rebuilds the record without them.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { PresenceSnapshotError } from '../../src/schema/index';
import { createPresenceService, restoreRecord, snapshotRecord } from '../../src/service/index';
import { createJsonTextStore } from '../helpers/jsonTextStore';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const FAR = 8_640_000_000_000_000; // the latest time a mark may name at all

describe('routing marks later than the state', () => {
  it('are refused by restoreRecord, naming the mark and the bound; marks up to lastAt read as stored', () => {
    const state = machine.initialState('a1', 1_000);
    const record = snapshotRecord({ state, seen: [] });
    expect(restoreRecord({ ...record, routing: { workEndedAt: 1_000, routedAt: 500 } }).routing).toEqual({ workEndedAt: 1_000, routedAt: 500 });
    let error: unknown;
    try {
      restoreRecord({ ...record, routing: { workEndedAt: FAR, routedAt: 1_001 } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PresenceSnapshotError);
    expect((error as Error).message).toContain(`- routing.workEndedAt: must be no later than the state's lastAt, 1000 (got ${FAR})`);
    expect((error as Error).message).toContain("- routing.routedAt: must be no later than the state's lastAt, 1000 (got 1001)");
  });

  it('keep the agent out of the roster until repaired; repaired, its marks are gone and it ranks by its state again', async () => {
    const store = createJsonTextStore();
    const errors: string[] = [];
    const service = createPresenceService({ machine, store, scheduler: recordingScheduler(), onError: (_, c) => errors.push(`${c.kind} ${c.agentId}`) });
    await service.dispatch('a', { type: 'signIn', at: 2_000 });
    await service.dispatch('b', { type: 'signIn', at: 1_000 });
    const b = await store.load('b');
    store.put('b', JSON.stringify({ ...snapshotRecord(b!.record), routing: { workEndedAt: FAR, routedAt: FAR } }));
    const fresh = createPresenceService({ machine, store, scheduler: recordingScheduler(), onError: (_, c) => errors.push(`${c.kind} ${c.agentId}`) });
    expect((await fresh.findAvailable({ order: 'longestIdle' })).map((c) => c.agentId)).toEqual(['a']);
    expect(errors).toContain('unreadable b');
    const repair = await fresh.repairAgent('b');
    expect(repair.repaired).toBe(true);
    expect(repair.problem).toContain('routing.workEndedAt');
    // The marks are gone with the repair (it rebuilds the record from what reads): b ranks by its repaired state.
    const repaired = (await fresh.findAvailable({ order: 'leastRecentlyOffered' })).find((c) => c.agentId === 'b');
    expect(repaired?.lastRoutedAt).toBeUndefined();
    expect(repaired?.idleSince).toBeLessThanOrEqual(Date.now());
    expect((await store.load('b'))?.record.routing).toBeUndefined();
  });
});
