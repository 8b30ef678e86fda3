import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { PresenceSnapshotError } from '../../src/schema/index';
import {
  createPresenceService,
  restoreRecord,
  snapshotRecord,
  type PresenceRecord,
  type PresenceStore,
  type SaveResult,
  type StoredRecord,
} from '../../src/service/index';
import { assign, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({});

/** A store that keeps JSON text rows, as a database adapter does (docs/adapters.md). */
function jsonRowStore(): PresenceStore & { rows: Map<string, { data: string; version: number }> } {
  const rows = new Map<string, { data: string; version: number }>();
  return {
    rows,
    async load(agentId) {
      const row = rows.get(agentId);
      return row && { record: restoreRecord(row.data), version: row.version };
    },
    async save(agentId, record, expectedVersion): Promise<SaveResult> {
      const current = rows.get(agentId)?.version ?? 0;
      if (current !== expectedVersion) return { ok: false, conflict: true, currentVersion: current };
      rows.set(agentId, { data: JSON.stringify(snapshotRecord(record)), version: current + 1 });
      return { ok: true, version: current + 1 };
    },
    async *list(): AsyncIterable<StoredRecord> {
      for (const [agentId, row] of rows) yield { agentId, record: restoreRecord(row.data), version: row.version };
    },
  };
}

describe('record snapshots', () => {
  it('carry the state snapshot, the remembered event ids and the routing marks, and read back equal', async () => {
    const store = jsonRowStore();
    const service = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'e1' });
    await service.dispatch('agent-7', { type: 'workReleased', workItemId: 'x', at: 1_500, eventId: 'e2' }); // refused, remembered
    await service.dispatch('agent-7', assign('c1', 40, 2_000));
    const row = JSON.parse(store.rows.get('agent-7')!.data);
    expect(Object.keys(row)).toEqual(['schemaVersion', 'state', 'seen', 'routing']);
    expect(row.schemaVersion).toBe(1);
    const restored = restoreRecord(row);
    expect(restored.routing).toEqual({ routedAt: 2_000 });
    expect(restored.seen.map((s) => s.eventId)).toEqual(['e1', 'e2']);
    expect(restored.seen[1]?.result.rejection?.code).toBe('UNKNOWN_WORK_ITEM');
    expect((await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'e1' })).duplicate).toBe(true);
    expect((await service.findAvailable({ units: 10, bases: ['Busy'], limit: 1, order: 'mostFree' }))[0]?.agentId).toBe('agent-7');
  });

  it('name every problem of the state and of the seen list at once, by path', () => {
    const record: PresenceRecord = { state: machine.initialState('a1'), seen: [] };
    const bad = { ...snapshotRecord(record), state: { ...record.state, lastAt: -1 }, seen: [{ eventId: 'e1', seenAt: 'yesterday' }] };
    try {
      restoreRecord(bad);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(PresenceSnapshotError);
      expect((error as PresenceSnapshotError).issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
        'state.lastAt: must be a finite number ≥ 0 and ≤ 8640000000000000 (got -1)',
        'seen.0.seenAt: must be a finite number ≥ 0 and ≤ 8640000000000000 (got "yesterday")',
        'seen.0.result: must be an object (got undefined)',
      ]);
    }
  });

  it('refuse text that is not JSON, a non-object, and a seen list that is not a list', () => {
    expect(() => restoreRecord('{')).toThrow(/- \(root\): must be JSON \(/);
    expect(() => restoreRecord([])).toThrow('- (root): must be an object (got an array)');
    const ok = snapshotRecord({ state: machine.initialState('a1'), seen: [] });
    expect(() => restoreRecord({ ...ok, seen: 'none' })).toThrow('- seen: must be an array of seen events (got "none")');
    expect(restoreRecord({ schemaVersion: 1, state: ok.state }).seen).toEqual([]); // a record stored without the list
  });

  it('a record loaded from a store is usable by a service of another process', async () => {
    const store = jsonRowStore();
    await createPresenceService({ machine, store, scheduler: recordingScheduler() }).dispatch('agent-7', signIn(1_000));
    const other = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    expect((await other.get('agent-7')).presence.presenceId).toBe('available');
  });
});
