import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryHistoryStore, createMemoryPresenceStore, createPresenceService, type HistoryStore, type PresenceStore } from '../../src/service/index';
import { manualClock, yieldTurns } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });

/** A memory store whose listing takes an event-loop turn per record, as a store over the network does; it may fail after `failAfter` records. */
function slowListingStore(failAfter = Infinity): PresenceStore {
  const inner = createMemoryPresenceStore();
  return {
    load: (agentId) => inner.load(agentId),
    save: (agentId, record, expectedVersion, context) => inner.save(agentId, record, expectedVersion, context),
    async *list(onUnreadable) {
      let given = 0;
      for await (const stored of inner.list(onUnreadable)) {
        if (given++ === failAfter) throw new Error('listing lost its connection');
        await yieldTurns(1);
        yield stored;
      }
    },
  };
}

/** A memory history whose reads of one agent fail. */
function historyFailingFor(agentId: string): HistoryStore {
  const inner = createMemoryHistoryStore();
  return {
    append: (change) => inner.append(change),
    read: (id, window) => (id === agentId ? Promise.reject(new Error(`history of ${id} is not there`)) : inner.read(id, window)),
    appendWork: (entry) => inner.appendWork!(entry),
    readWork: (id, window) => inner.readWork!(id, window),
  };
}

describe('service.report over every agent of the store', () => {
  const unhandled: unknown[] = [];
  const listen = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', listen);
  });
  afterEach(() => {
    process.off('unhandledRejection', listen);
  });

  async function serviceWith(store: PresenceStore, history: HistoryStore) {
    const service = createPresenceService({ machine, store, history, clock: manualClock(20_000) });
    for (const agentId of ['a1', 'a2', 'a3', 'a4']) await service.dispatch(agentId, { type: 'signIn', at: 1_000 });
    return service;
  }

  it("rejects with the history's error while the listing goes on, leaving no rejection unhandled", async () => {
    const service = await serviceWith(slowListingStore(), historyFailingFor('a1'));
    await expect(service.report({ from: 0, to: 10_000 })).rejects.toThrow('history of a1 is not there');
    await yieldTurns(3);
    expect(unhandled).toEqual([]);
  });

  it('rejects with the listing error when the listing fails midway, leaving no rejection unhandled', async () => {
    const service = await serviceWith(slowListingStore(2), historyFailingFor('a1'));
    await expect(service.report({ from: 0, to: 10_000 })).rejects.toThrow(/listing lost its connection|history of a1/);
    await yieldTurns(3);
    expect(unhandled).toEqual([]);
  });
});
