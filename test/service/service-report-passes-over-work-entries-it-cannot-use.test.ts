import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryHistoryStore, createPresenceService, type HistoryStore, type WorkHistoryEntry } from '../../src/service/index';
import { manualClock } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });

/** A history of one's own whose `readWork` gives a1 the entries given (out of order, some unusable), and a2 its own. */
function historyGiving(entries: readonly unknown[]): HistoryStore {
  const inner = createMemoryHistoryStore();
  return {
    append: (change) => inner.append(change),
    read: (agentId, window) => inner.read(agentId, window),
    appendWork: (entry) => inner.appendWork!(entry),
    readWork: (agentId, window) => (agentId === 'a1' ? (entries as WorkHistoryEntry[]) : inner.readWork!(agentId, window)),
  };
}

describe('service.report with a history that gives work entries it cannot use', () => {
  it('passes over an entry with a time or units that are not finite numbers, or a kind it does not know, and keeps the rest', async () => {
    const usable = [
      { agentId: 'a1', at: 5_000, kind: 'released', used: 0, capacity: 100, version: 4 },
      { agentId: 'a1', at: 3_000, kind: 'assigned', used: 40, capacity: 100, version: 3 },
    ];
    const unusable = [
      { agentId: 'a1', at: 2_000, kind: 'escalated', used: 10, capacity: 100, version: 2 },
      { agentId: 'a1', at: 2_500, kind: 'toString', used: 10, capacity: 100, version: 2 },
      { agentId: 'a1', at: Number.NaN, kind: 'released', used: 0, capacity: 100, version: 5 },
      { agentId: 'a1', at: 4_000, used: Number.POSITIVE_INFINITY, capacity: 100, version: 6 },
      { agentId: 'a1', at: 4_500, used: '5', capacity: 100, version: 7 },
      { agentId: 'a1', at: 4_600, used: 5, capacity: null, version: 8 },
      null,
    ];
    const service = createPresenceService({ machine, history: historyGiving([...unusable, ...usable]), clock: manualClock(20_000) });
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await service.dispatch('a2', { type: 'signIn', at: 1_000 });
    await service.dispatch('a2', { type: 'workAssigned', workItemId: 'c9', units: 50, at: 1_000 });
    const { agents, totals } = await service.report({ agentIds: ['a1', 'a2'], from: 0, to: 10_000 });
    expect(agents[0]!.work).toEqual({ assigned: 1, released: 1, missed: 0, rejected: 0 });
    expect(agents[0]!.unitMs).toEqual({ used: 40 * 2_000, capacity: 100 * 9_000 });
    expect(totals.unitMs).toEqual({ used: 40 * 2_000 + 50 * 9_000, capacity: 2 * 100 * 9_000 });
    expect(totals.occupancy).toBeCloseTo(530_000 / 1_800_000, 10);
  });
});
