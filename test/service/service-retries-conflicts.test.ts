import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, PresenceConflictError, type PresenceStore } from '../../src/service/index';
import { assign, run, signIn } from '../helpers/run';
import { recordingPublisher, recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({});

describe('a save that loses to another writer', () => {
  it('reloads, applies the event again to what the other writer stored, and saves: no update is lost', async () => {
    const store = createMemoryPresenceStore();
    const other = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    await other.dispatch('agent-7', signIn(1_000));
    let raced = false;
    /** Another process assigns chat-1 between our load and our first save. */
    const race = async (agentId: string) => {
      if (raced) return;
      raced = true;
      await other.dispatch(agentId, assign('chat-1', 40, 2_000));
    };
    const racing: PresenceStore = {
      ...store,
      load: (agentId) => store.load(agentId),
      async save(agentId, record, expectedVersion) {
        await race(agentId);
        return store.save(agentId, record, expectedVersion);
      },
      // An assignment's save claims its item in the save (one item, one agent): the race is the same.
      async saveClaimingWork(agentId, record, expectedVersion, context, work) {
        await race(agentId);
        return store.saveClaimingWork(agentId, record, expectedVersion, context, work);
      },
    };
    const service = createPresenceService({ machine, store: racing, scheduler: recordingScheduler() });
    const result = await service.dispatch('agent-7', assign('chat-2', 40, 2_500));
    expect(result.version).toBe(3);
    expect(result.state.work.map((w) => w.workItemId)).toEqual(['chat-1', 'chat-2']);
    const replay = run(machine, machine.initialState('agent-7', 1_000), [signIn(1_000), assign('chat-1', 40, 2_000), assign('chat-2', 40, 2_500)]);
    expect((await store.load('agent-7'))?.record.state).toEqual(replay.state);
  });

  it('gives up after maxAttempts with PresenceConflictError, having stored and published nothing', async () => {
    const store = createMemoryPresenceStore();
    let saves = 0;
    const alwaysBehind: PresenceStore = {
      ...store,
      load: (agentId) => store.load(agentId),
      async save(agentId) {
        saves++;
        const current = await store.load(agentId); // someone else always saves first, changing nothing
        await store.save(agentId, current?.record ?? { state: machine.initialState(agentId), seen: [] }, current?.version ?? 0);
        return { ok: false, conflict: true };
      },
    };
    const publisher = recordingPublisher();
    const service = createPresenceService({ machine, store: alwaysBehind, publisher, maxAttempts: 4, scheduler: recordingScheduler() });
    const error = await service.dispatch('agent-7', signIn(1_000)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PresenceConflictError);
    expect(error).toMatchObject({ agentId: 'agent-7', attempts: 4, name: 'PresenceConflictError' });
    expect((error as Error).message).toBe(
      'Agent "agent-7": the event was not applied: 4 attempts to save lost to other writers (the stored version changed each time between load and save)',
    );
    expect(saves).toBe(4);
    expect(publisher.changes).toEqual([]);
    expect((await store.load('agent-7'))?.record.state.signedIn).toBe(false);
  });

  it('uses 10 attempts by default', async () => {
    let saves = 0;
    const service = createPresenceService({
      machine,
      scheduler: recordingScheduler(),
      store: { load: async () => undefined, save: async () => (saves++, { ok: false, conflict: true }), list: async function* () {} },
    });
    await expect(service.dispatch('agent-7', signIn(1))).rejects.toBeInstanceOf(PresenceConflictError);
    expect(saves).toBe(10);
  });
});
