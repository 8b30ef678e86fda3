import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { PresenceSnapshotError } from '../../src/schema/index';
import { createMemoryPresenceStore, createPresenceService, restoreRecord, snapshotRecord } from '../../src/service/index';
import { assign, release, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

// The service keeps when an agent last finished work and was last given an item in the stored record, beside the
// remembered event ids (the machine's state forgets an item once it ends, and the core is not changed for routing).

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const service = (store = createMemoryPresenceStore()) => createPresenceService({ machine, store, scheduler: recordingScheduler() });

describe('routing marks', () => {
  it('move on with every save that adds or ends work, never back, and nothing else writes them', async () => {
    const store = createMemoryPresenceStore();
    const s = service(store);
    const marks = async () => (await store.load('ana'))?.record.routing;
    await s.dispatch('ana', signIn(1_000));
    expect(await marks()).toBeUndefined();
    await s.dispatch('ana', assign('c1', 10, 2_000));
    expect(await marks()).toEqual({ routedAt: 2_000 });
    await s.dispatch('ana', assign('c2', 10, 2_500));
    await s.dispatch('ana', release('c1', 3_000));
    expect(await marks()).toEqual({ routedAt: 2_500, workEndedAt: 3_000 });
    await s.dispatch('ana', { type: 'heartbeat', at: 3_500 }); // nothing routing reads: the same marks
    await s.dispatch('ana', { type: 'workReleased', workItemId: 'c2', at: 2_900 }); // stamped earlier: applied at 3500
    expect(await marks()).toEqual({ routedAt: 2_500, workEndedAt: 3_500 });
  });

  it('are written by snapshotRecord and read back by restoreRecord, which names a bad one', () => {
    const state = machine.initialState('ana', 10);
    const text = JSON.stringify(snapshotRecord({ state, seen: [], routing: { workEndedAt: 5, routedAt: 4 } }));
    expect(restoreRecord(text).routing).toEqual({ workEndedAt: 5, routedAt: 4 });
    expect('routing' in restoreRecord(JSON.stringify(snapshotRecord({ state, seen: [] })))).toBe(false);
    const bad = (routing: unknown) => () => restoreRecord({ ...JSON.parse(text), routing });
    expect(bad({ workEndedAt: 'soon' })).toThrow(PresenceSnapshotError);
    expect(bad({ workEndedAt: 'soon' })).toThrow(/routing\.workEndedAt: must be a finite number/);
    expect(bad({ routedAt: 1, extra: true })).toThrow(/routing\.extra: is not a known field/);
    expect(bad([])).toThrow(/routing: must be an object/);
  });

  it('are derived for a save heard of through ingest, from the state the roster held before', async () => {
    const store = createMemoryPresenceStore();
    const writer = service(store);
    const router = service(createMemoryPresenceStore()); // routes from saves it is given, not from the store
    await writer.dispatch('ana', signIn(1_000));
    await writer.dispatch('ana', assign('c1', 10, 2_000));
    await writer.dispatch('ana', assign('c2', 10, 2_100));
    await writer.dispatch('ana', release('c1', 3_000));
    await writer.dispatch('ben', signIn(2_500));
    for (const agentId of ['ana', 'ben']) {
      const loaded = (await store.load(agentId))!;
      if (agentId === 'ana') {
        // The router heard of ana before her release too.
        router.ingest({
          agentId,
          state: { ...loaded.record.state, work: [...loaded.record.state.work, { workItemId: 'c1', units: 10, since: 2_000 }] },
          version: loaded.version - 1,
        });
      }
      router.ingest({ agentId, state: loaded.record.state, version: loaded.version });
    }
    expect((await router.findAvailable({ order: 'longestIdle' })).map((c) => [c.agentId, c.idleSince])).toEqual([
      ['ben', 2_500],
      ['ana', 3_000],
    ]);
  });
});
