import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type PresenceChange, type SaveContext, type WorkItemChanges } from '../../src/service/index';
import { assign, pick, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const query = { units: 10, bases: ['Available', 'Busy'] as const, limit: 10, order: 'mostFree' as const };

/** Two services over one store; `writer`'s saves are captured with the context the store was given. */
function pair() {
  const inner = createMemoryPresenceStore();
  const saves: { agentId: string; version: number; context: SaveContext | undefined; work?: WorkItemChanges }[] = [];
  const store = {
    ...inner,
    load: inner.load,
    list: inner.list,
    async save(agentId: string, record: Parameters<typeof inner.save>[1], expected: number, context?: SaveContext) {
      const saved = await inner.save(agentId, record, expected);
      if (saved.ok) saves.push({ agentId, version: saved.version, context });
      return saved;
    },
    // The saves that move work items come here instead (one item, one agent: claimed and freed in the save).
    async saveClaimingWork(agentId: string, record: Parameters<typeof inner.save>[1], expected: number, context: SaveContext, work: WorkItemChanges) {
      const saved = await inner.saveClaimingWork(agentId, record, expected, {}, work);
      if (saved.ok) saves.push({ agentId, version: saved.version, context, work });
      return saved;
    },
  };
  const writer = createPresenceService({ machine, store, scheduler: recordingScheduler() });
  const reader = createPresenceService({ machine, store: createMemoryPresenceStore(), scheduler: recordingScheduler() });
  return { inner, saves, writer, reader };
}

describe('the save context', () => {
  it('carries the presence change (without its version), the next deadline, the event id and the work entries of each save', async () => {
    const { saves, writer } = pair();
    await writer.dispatch('a1', { ...signIn(1_000), eventId: 'in' });
    await writer.dispatch('a1', assign('c1', 10, 2_000));
    await writer.dispatch('a1', assign('c2', 10, 3_000)); // Busy → Busy: no change
    await writer.dispatch('a1', { type: 'workReleased', workItemId: 'c2', at: 4_000, wrapUpMs: 5_000 });
    expect(saves.map((s) => s.version)).toEqual([1, 2, 3, 4]);
    expect(saves[0]!.context).toEqual({
      change: {
        agentId: 'a1',
        from: machine.presenceOf(machine.initialState('a1', 1_000)),
        to: expect.objectContaining({ presenceId: 'available', since: 1_000 }),
        at: 1_000,
        source: 'capacity',
        eventId: 'in',
      },
      eventId: 'in',
    });
    expect(saves[1]!.context?.change?.to.presenceId).toBe('busy');
    expect(saves[2]).toMatchObject({ context: {}, work: { added: ['c2'], removed: [] } }); // one item, one agent
    // A release in wrap-up keeps its units until the wrap-up ends: the entry counts the release, with 20 units still held.
    expect(saves[3]!.context).toEqual({
      nextDeadline: 9_000,
      work: [{ agentId: 'a1', at: 4_000, kind: 'released', workItemId: 'c2', used: 20, capacity: machine.profileOf('a1').capacity }],
    });
  });
});

describe('ingest', () => {
  it("puts another process's saved state in the roster index and hands its change to the listeners, once", async () => {
    const { inner, writer, reader } = pair();
    const heard: PresenceChange[] = [];
    const published: PresenceChange[] = [];
    writer.subscribe((c) => published.push(c));
    reader.subscribe((c) => heard.push(c));
    await writer.dispatch('a1', signIn(1_000));
    await writer.dispatch('a1', assign('c1', 30, 2_000));
    expect(await reader.findAvailable(query)).toEqual([]);
    const stored = (await inner.load('a1'))!;
    for (const change of published) {
      const state = change.version === stored.version ? stored.record.state : machine.transition(machine.initialState('a1', 1_000), signIn(1_000)).state;
      expect(reader.ingest({ agentId: 'a1', state, version: change.version, change })).toBe(true);
    }
    expect(reader.ingest({ agentId: 'a1', state: stored.record.state, version: 2, change: published[1]! })).toBe(false); // again: nothing
    expect(heard.map((c) => c.version)).toEqual([1, 2]);
    expect((await reader.findAvailable(query)).map((c) => [c.agentId, c.freeUnits, c.version])).toEqual([['a1', 70, 2]]);
  });

  it('skips a change overtaken by a later one the listeners already saw, and an older state than the index has', async () => {
    const { inner, writer, reader } = pair();
    const published: PresenceChange[] = [];
    writer.subscribe((c) => published.push(c));
    await writer.dispatch('a1', signIn(1_000));
    const v1 = (await inner.load('a1'))!;
    await writer.dispatch('a1', pick('away', 2_000));
    const v2 = (await inner.load('a1'))!;
    const heard: number[] = [];
    reader.subscribe((c) => heard.push(c.version));
    expect(reader.ingest({ agentId: 'a1', state: v2.record.state, version: 2, change: published[1]! })).toBe(true);
    expect(reader.ingest({ agentId: 'a1', state: v1.record.state, version: 1, change: published[0]! })).toBe(false);
    expect(heard).toEqual([2]);
    expect(await reader.findAvailable({ ...query, bases: ['Away'] })).toHaveLength(1);
  });

  it('does not repeat to the listeners a change the service saved itself', async () => {
    const { inner, writer } = pair();
    const heard: number[] = [];
    writer.subscribe((c) => heard.push(c.version));
    const published: PresenceChange[] = [];
    writer.subscribe((c) => published.push(c));
    await writer.dispatch('a1', signIn(1_000));
    const stored = (await inner.load('a1'))!;
    expect(writer.ingest({ agentId: 'a1', state: stored.record.state, version: 1, change: published[0]! })).toBe(false);
    expect(heard).toEqual([1]);
  });

  it('refuses an update whose parts do not belong together, naming the field', () => {
    const { reader } = pair();
    const state = machine.initialState('a1');
    expect(() => reader.ingest({ agentId: 'a2', state, version: 1 })).toThrow('ingest: state.agentId must be the agent\'s id "a2" (got "a1")');
    expect(() => reader.ingest({ agentId: 'a1', state, version: 0 })).toThrow('ingest: version must be a whole number ≥ 1 (got 0)');
    expect(() => reader.ingest({ agentId: '', state, version: 1 })).toThrow(/^ingest: agentId/);
  });
});
