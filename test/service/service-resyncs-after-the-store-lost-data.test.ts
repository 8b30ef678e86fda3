/**
 * A store that can lose acknowledged saves (Redis without persistence, a failover that dropped the last writes)
 * starts its versions again lower. With generations (a later one sorting after an earlier one), the service takes
 * a save of a later generation whatever its version — in the roster, from its own loads and from `ingest`, and for
 * its listeners — and `resync()` drops what it held and reloads the roster, so that an agent who is gone or Away
 * now is no longer offered.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceState } from '../../src/index';
import {
  createMemoryPresenceStore,
  createMemoryPublisher,
  createPresenceService,
  type PresenceChange,
  type PresenceService,
  type PresenceStore,
} from '../../src/service/index';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const routable = { units: 10, bases: ['Available', 'Busy'] as const, limit: 10, order: 'mostFree' as const };
const canTake = { precondition: (state: PresenceState, m: typeof machine) => m.presenceOf(state).base === 'Available' && m.canTake(state, { units: 10 }) };

/**
 * A memory store with generations, each record stored with the generation it was saved in (as the Redis store keeps
 * it); `lose()` wipes it and starts a later generation, as Redis losing its data does.
 */
function losableStore() {
  let inner = createMemoryPresenceStore();
  let generation = 'g-1';
  let savedIn = new Map<string, string>();
  const store: PresenceStore = {
    load: async (agentId) => {
      const loaded = await inner.load(agentId);
      return loaded && { ...loaded, generation: savedIn.get(agentId) ?? generation };
    },
    async *list() {
      for await (const stored of inner.list()) yield { ...stored, generation: savedIn.get(stored.record.state.agentId) ?? generation };
    },
    async save(agentId, record, expected) {
      const saved = await inner.save(agentId, record, expected);
      if (saved.ok) savedIn.set(agentId, generation);
      return saved.ok ? { ...saved, generation } : saved;
    },
  };
  return {
    store,
    lose() {
      inner = createMemoryPresenceStore();
      savedIn = new Map();
      generation = `g-${Number(generation.slice(2)) + 1}`;
    },
    /** A later generation over the same records: a failover that kept them, found by a missing stream entry. */
    rotate() {
      generation = `g-${Number(generation.slice(2)) + 1}`;
    },
  };
}

/** Two services over the store; every save of the writer is fed to the reader's `ingest`, as a change feed does. */
function pair() {
  const { store, lose } = losableStore();
  const reader = createPresenceService({ machine, store, scheduler: recordingScheduler() });
  const feed: Parameters<PresenceService['ingest']>[0][] = [];
  const writer = createPresenceService({
    machine,
    scheduler: recordingScheduler(),
    store: {
      ...store,
      async save(agentId, record, expected, context) {
        const saved = await store.save(agentId, record, expected, context);
        if (saved.ok) {
          const change = context?.change && { ...context.change, version: saved.version, generation: saved.generation! };
          feed.push({ agentId, state: record.state, version: saved.version, generation: saved.generation!, ...(change ? { change } : {}) });
        }
        return saved;
      },
    },
  });
  const heard: PresenceChange[] = [];
  reader.subscribe((c) => heard.push(c));
  const deliver = () => {
    for (const update of feed.splice(0)) reader.ingest(update);
  };
  return { reader, writer, heard, deliver, lose };
}

const offered = async (service: PresenceService) => (await service.findAvailable(routable)).map((c) => `${c.agentId} v${c.version}`);

describe('after the store lost data', () => {
  it("takes other processes' saves of the new generation, though their versions are lower, into the roster and to the listeners", async () => {
    const { reader, writer, heard, deliver, lose } = pair();
    for (const id of ['a1', 'a2']) {
      await writer.dispatch(id, { type: 'signIn', at: 1_000 });
      await writer.dispatch(id, { type: 'setPresence', presenceId: 'away', at: 2_000 });
      await writer.dispatch(id, { type: 'setPresence', presenceId: 'available', at: 3_000 });
    }
    deliver();
    expect(await offered(reader)).toEqual(['a1 v3', 'a2 v3']);
    lose();
    await writer.dispatch('a1', { type: 'signIn', at: 4_000 }); // v1 of the new generation
    await writer.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 5_000 }); // v2
    deliver();
    expect(heard.map((c) => `${c.agentId} v${c.version} ${c.to.presenceId} ${c.generation}`).slice(-2)).toEqual(['a1 v1 available g-2', 'a1 v2 away g-2']);
    expect(await offered(reader)).toEqual(['a2 v3']); // a1 is Away now; a2 is not stored any more (see resync)
    // An update of the older generation that arrives late changes nothing.
    expect(reader.ingest({ agentId: 'a1', state: machine.initialState('a1', 9_000), version: 7, generation: 'g-1' })).toBe(false);
  });

  it('drops what it held and reloads the roster on resync: an agent no longer stored is not offered', async () => {
    const { reader, writer, heard, deliver, lose } = pair();
    await writer.dispatch('a1', { type: 'signIn', at: 1_000 });
    await writer.dispatch('a2', { type: 'signIn', at: 1_000 });
    deliver();
    expect(await offered(reader)).toEqual(['a1 v1', 'a2 v1']);
    lose();
    await writer.dispatch('a2', { type: 'signIn', at: 2_000 });
    expect(await reader.resync()).toBe(1);
    expect(await offered(reader)).toEqual(['a2 v1']);
    deliver(); // the new generation's save of a2, read after the reload: the listeners hear it (they start over)
    expect(heard.map((c) => `${c.agentId} v${c.version}`)).toEqual(['a1 v1', 'a2 v1', 'a2 v1']);
  });

  it('answers findAvailable, asked while the resync reloads, from the reloaded roster: never from what was lost', async () => {
    const { store, lose } = losableStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let gated = false;
    const reader = createPresenceService({
      machine,
      scheduler: recordingScheduler(),
      store: {
        ...store,
        async *list(onUnreadable) {
          if (gated) await gate;
          yield* store.list(onUnreadable);
        },
      },
    });
    await reader.dispatch('a1', { type: 'signIn', at: 1_000 });
    await reader.dispatch('a2', { type: 'signIn', at: 1_000 });
    expect(await offered(reader)).toEqual(['a1 v1', 'a2 v1']);
    lose();
    await store.save('a2', { state: machine.transition(machine.initialState('a2', 2_000), { type: 'signIn', at: 2_000 }).state, seen: [] }, 0);
    gated = true;
    const reloading = reader.resync();
    const asked = offered(reader); // while the store is listed
    let answered = false;
    void asked.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answered).toBe(false);
    release();
    expect(await asked).toEqual(['a2 v1']);
    expect(await reloading).toBe(1);
  });

  it('stops offering an agent once its own load sees the new generation: a declined assignment refreshes it (no routing loop)', async () => {
    const { reader, writer, deliver, lose } = pair();
    for (let at = 1_000; at <= 5_000; at += 1_000) await writer.dispatch('a1', { type: 'signIn', at, sessionId: `s${at}` });
    deliver();
    expect(await offered(reader)).toEqual(['a1 v5']);
    lose();
    await writer.dispatch('a1', { type: 'signIn', at: 6_000 });
    await writer.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 7_000 }); // not fed to the reader yet
    const assigned = await reader.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 10, at: 8_000 }, canTake);
    expect(assigned).toMatchObject({ declined: true, version: 2 });
    expect(await offered(reader)).toEqual([]);
  });

  it('publishes a redelivered change under the generation its save was made in, not a later one the record moved to', async () => {
    const { store, rotate } = losableStore();
    const first = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    await first.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'sign-in' }); // v1 in g-1
    await first.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000, eventId: 'away' }); // v2 in g-1
    rotate();
    await first.dispatch('a1', { type: 'heartbeat', at: 3_000, eventId: 'beat' }); // v3 in g-2, remembering "away" at v2
    // Another process gets "away" again (its sender never heard how the first attempt went) and publishes its change.
    const publisher = createMemoryPublisher();
    const second = createPresenceService({ machine, store, scheduler: recordingScheduler(), publisher });
    const again = await second.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000, eventId: 'away' });
    expect(again.duplicate).toBe(true);
    await second.flush();
    expect(publisher.changes().map((c) => `${c.eventId} v${c.version} ${c.generation} ${c.to.presenceId}`)).toEqual(['away v2 g-1 away']);
  });
});
