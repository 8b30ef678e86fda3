/**
 * A save whose outcome the caller never heard: the store wrote it, then threw (the connection dropped before the
 * reply). The documented recovery is to send the event again with the same eventId; the redelivery is a duplicate,
 * and what follows the save (the timer for the new deadline, the listeners, the history, the publisher) must still
 * happen, at least once, or a custom store's session never expires and the change is never published.
 */
import { describe, expect, it, vi } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import {
  createMemoryHistoryStore,
  createMemoryPresenceStore,
  createPresenceService,
  type PresenceChange,
  type PresenceStore,
  type ServiceErrorContext,
} from '../../src/service/index';
import { manualClock, recordingPublisher, recordingScheduler } from '../helpers/service';

const TTL = 60_000;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: TTL } });
/** Conditions reached in a few microtasks: waited for with a bound generous enough for a loaded 2-core machine. */
const WAIT = { timeout: 10_000, interval: 5 };

/** A memory store whose next save (when asked) is written and then throws, as a lost acknowledgement does. */
function ackLosingStore() {
  const inner = createMemoryPresenceStore();
  let lose = 0;
  let lost = 0;
  const store: PresenceStore = {
    load: (agentId) => inner.load(agentId),
    list: () => inner.list(),
    async save(agentId, record, expected) {
      const saved = await inner.save(agentId, record, expected);
      if (saved.ok && lose > 0) {
        lose--;
        lost++;
        throw new Error('connection lost after the write: outcome unknown');
      }
      return saved;
    },
  };
  return {
    store,
    inner,
    loseNextSaves: (n = 1) => void (lose = n),
    get lost() {
      return lost;
    },
  };
}

/** A service over the store, with every port recording what it was given. */
function serviceOver(store: PresenceStore, clock = manualClock(1_000)) {
  const publisher = recordingPublisher();
  const history = createMemoryHistoryStore();
  const appended: PresenceChange[] = [];
  const recordingHistory = { ...history, append: (c: PresenceChange) => (appended.push(c), history.append(c)) };
  const scheduler = recordingScheduler();
  const heard: PresenceChange[] = [];
  const errors: ServiceErrorContext[] = [];
  const service = createPresenceService({ machine, store, clock, publisher, history: recordingHistory, scheduler, onError: (_, c) => errors.push(c) });
  service.subscribe((c) => heard.push(c));
  return { service, publisher, history, appended, scheduler, heard, errors, clock };
}

const versions = (changes: readonly PresenceChange[]) => changes.map((c) => `${c.agentId} v${c.version} ${c.from.presenceId}→${c.to.presenceId}`);

describe('an event sent again after a save whose outcome was unknown', () => {
  it('runs what followed the save: timer, listener, history and publisher once each, and the session then expires', async () => {
    const { store, inner, loseNextSaves } = ackLosingStore();
    const { service, publisher, appended, scheduler, heard, clock } = serviceOver(store);
    loseNextSaves();
    const signIn = { type: 'signIn', at: 1_000, eventId: 'in-1' } as const;
    await expect(service.dispatch('a1', signIn)).rejects.toThrow('outcome unknown');
    expect((await inner.load('a1'))?.version).toBe(1); // written
    expect([publisher.changes, appended, heard, [...scheduler.timers.keys()]]).toEqual([[], [], [], []]); // and nothing after it

    const again = await service.dispatch('a1', signIn);
    expect(again).toMatchObject({ duplicate: true, version: 1, changed: true, presence: { presenceId: 'available' } });
    const signedIn = ['a1 v1 offline→available'];
    expect(versions(publisher.changes)).toEqual(signedIn);
    expect(versions(appended)).toEqual(signedIn);
    expect(versions(heard)).toEqual(signedIn);
    expect(publisher.changes[0]).toEqual({
      agentId: 'a1',
      from: expect.objectContaining({ presenceId: 'offline' }),
      to: expect.objectContaining({ presenceId: 'available', since: 1_000 }),
      at: 1_000,
      source: 'capacity',
      version: 1,
      eventId: 'in-1',
    });
    expect(scheduler.timers.get('a1')?.at).toBe(1_000 + TTL);

    // A third delivery changes nothing more: this service ran those duties now.
    expect((await service.dispatch('a1', signIn)).duplicate).toBe(true);
    expect(publisher.changes).toHaveLength(1);

    // The session expires by the timer the redelivery armed.
    clock.set(1_000 + TTL);
    scheduler.fire('a1');
    await vi.waitFor(async () => expect((await service.get('a1')).presence.presenceId).toBe('offline'), WAIT);
    expect(versions(publisher.changes)).toEqual([...signedIn, 'a1 v2 available→offline']);
    expect(publisher.changes[1]?.source).toBe('expired');
  });

  it('delivers the change even after the agent moved on; listeners that already had a later version skip it', async () => {
    const { store, loseNextSaves } = ackLosingStore();
    const { service, publisher, appended, heard, scheduler } = serviceOver(store);
    loseNextSaves();
    await expect(service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' })).rejects.toThrow();
    // Before the sender sends it again, another event of the agent is saved (by a path that heard its reply).
    await service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 2_000, eventId: 'away-1' });
    const again = await service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' });
    expect(again).toMatchObject({ duplicate: true, version: 2 });
    // Late, but there: v1 after v2 (consumers order by version), and the timer at the latest state's deadline.
    expect(versions(publisher.changes)).toEqual(['a1 v2 available→away', 'a1 v1 offline→available']);
    expect(versions(appended)).toEqual(['a1 v2 available→away', 'a1 v1 offline→available']);
    expect(versions(heard)).toEqual(['a1 v2 available→away']); // listeners keep each agent's version order
    expect(scheduler.timers.get('a1')?.at).toBe(1_000 + TTL);
    const time = await service.timeInStatus('a1', { from: 1_000, to: 3_000 });
    expect(time.byPresence).toEqual({ available: 1_000, away: 1_000 });
  });

  it('delivers it from the process the event was sent to again, when that is another one sharing the store', async () => {
    const { store, loseNextSaves } = ackLosingStore();
    const a = serviceOver(store);
    const b = serviceOver(store);
    loseNextSaves();
    await expect(a.service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' })).rejects.toThrow();
    expect((await b.service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' })).duplicate).toBe(true);
    expect([a.publisher.changes.length, b.publisher.changes.length]).toEqual([0, 1]);
    expect(versions(b.heard)).toEqual(['a1 v1 offline→available']);
    expect(b.scheduler.timers.get('a1')?.at).toBe(1_000 + TTL);
    expect(await b.service.findAvailable({ units: 10, bases: ['Available'], limit: 5, order: 'mostFree' })).toMatchObject([{ agentId: 'a1', version: 1 }]);
  });

  it('is at least once: a redelivery to another process of a save that was acknowledged delivers the change again, with the same version', async () => {
    const { store } = ackLosingStore();
    const a = serviceOver(store);
    const b = serviceOver(store);
    await a.service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' });
    await a.service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' }); // same process: it knows it ran them
    await b.service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' }); // another: it cannot know
    expect([...versions(a.publisher.changes), ...versions(b.publisher.changes)]).toEqual(['a1 v1 offline→available', 'a1 v1 offline→available']);
  });

  it("sends a timer's tick again when its save's outcome was unknown, and delivers the expiry it made", async () => {
    const { store, loseNextSaves } = ackLosingStore();
    const { service, publisher, scheduler, errors, clock } = serviceOver(store);
    await service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' });
    clock.set(1_000 + TTL);
    loseNextSaves();
    scheduler.fire('a1');
    await vi.waitFor(() => expect(errors).toHaveLength(1), WAIT);
    expect(errors[0]).toMatchObject({ kind: 'tick', agentId: 'a1' });
    expect((await service.get('a1')).presence.presenceId).toBe('offline'); // written…
    expect(publisher.changes).toHaveLength(1); // …but not published
    expect(scheduler.timers.get('a1')?.at).toBe(1_000 + TTL + 1_000); // sent again in a second
    scheduler.fire('a1');
    await vi.waitFor(() => expect(versions(publisher.changes)).toEqual(['a1 v1 offline→available', 'a1 v2 available→offline']), WAIT);
    expect(errors).toHaveLength(1);
  });

  it('backs off when a tick keeps failing: 1 s, 2 s, 4 s … up to a minute, each failure told to onError', async () => {
    const failing: PresenceStore = { ...createMemoryPresenceStore(), load: () => Promise.reject(new Error('store down')) };
    const { store } = ackLosingStore();
    const { service, scheduler, errors, clock } = serviceOver(store);
    await service.dispatch('a1', { type: 'signIn', at: 1_000, eventId: 'in-1' });
    store.load = failing.load;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = scheduler.timers.get('a1')!.at;
      clock.set(before);
      scheduler.fire('a1');
      await vi.waitFor(() => expect(errors).toHaveLength(i + 1), WAIT);
      delays.push(scheduler.timers.get('a1')!.at - before);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });
});
