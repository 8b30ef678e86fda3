import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService } from '../../src/service/index';
import { manualClock, recordingPublisher, recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({});
const MINUTE = 60_000;

function setup(options: { dedupWindowMs?: number; dedupMaxIds?: number } = {}) {
  const store = createMemoryPresenceStore();
  const clock = manualClock();
  const publisher = recordingPublisher();
  const service = createPresenceService({ machine, store, clock, publisher, scheduler: recordingScheduler(), ...options });
  return { store, clock, publisher, service };
}

describe('an event redelivered with the same eventId', () => {
  it('within the window: is not applied again, returns the earlier result, stores and publishes nothing more', async () => {
    const { store, clock, publisher, service } = setup();
    const first = await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 1_000, eventId: 'assign-c1' });
    await service.dispatch('agent-7', { type: 'signIn', at: 2_000, eventId: 'login' });
    clock.advance(14 * MINUTE);
    const again = await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 1_000, eventId: 'assign-c1' });
    expect(again.duplicate).toBe(true);
    expect(again).toMatchObject({ changed: first.changed, presence: first.presence, version: 2 });
    expect(again.rejection).toBeUndefined(); // not DUPLICATE_WORK_ITEM: the earlier result, not a new attempt
    expect(again.state).toEqual((await store.load('agent-7'))?.record.state); // the state now
    expect((await store.load('agent-7'))?.version).toBe(2);
    expect(publisher.changes).toHaveLength(1);
  });

  it('returns an earlier refusal again', async () => {
    const { service } = setup();
    const refused = await service.dispatch('agent-7', { type: 'setPresence', presenceId: 'away', at: 1_000, eventId: 'p1' });
    expect(refused.rejection?.code).toBe('NOT_SIGNED_IN');
    await service.dispatch('agent-7', { type: 'signIn', at: 2_000 });
    const again = await service.dispatch('agent-7', { type: 'setPresence', presenceId: 'away', at: 1_000, eventId: 'p1' });
    expect(again).toMatchObject({ duplicate: true, rejection: { code: 'NOT_SIGNED_IN' } });
    expect(again.state.presenceId).toBe('available');
  });

  it('after the window: is applied again as a new event', async () => {
    const { clock, service } = setup({ dedupWindowMs: 5 * MINUTE });
    await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'login' });
    await service.dispatch('agent-7', { type: 'signOut', at: 2_000 });
    clock.advance(5 * MINUTE); // the window's last millisecond still counts
    expect((await service.dispatch('agent-7', { type: 'signIn', at: 3_000, eventId: 'login' })).duplicate).toBe(true);
    clock.advance(1);
    const late = await service.dispatch('agent-7', { type: 'signIn', at: 3_000, eventId: 'login' });
    expect(late).toMatchObject({ duplicate: false, changed: true, presence: { presenceId: 'available', since: 3_000 } });
  });

  it('is remembered in the stored record, so another process sharing the store sees it', async () => {
    const { store, clock, service } = setup();
    await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'login' });
    const seen = (await store.load('agent-7'))?.record.seen;
    // Version 0: the version of the record that holds it (1 here); `from`: the presence before, to deliver the change again.
    expect(seen).toEqual([
      {
        eventId: 'login',
        seenAt: clock.now(),
        result: expect.objectContaining({ changed: true }),
        version: 0,
        from: expect.objectContaining({ presenceId: 'offline' }),
      },
    ]);
    const other = createPresenceService({ machine, store, clock, scheduler: recordingScheduler() });
    expect((await other.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'login' })).duplicate).toBe(true);
  });

  it('is per agent: the same id for another agent is another event', async () => {
    const { service } = setup();
    await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'shared-id' });
    expect((await service.dispatch('agent-8', { type: 'signIn', at: 1_000, eventId: 'shared-id' })).duplicate).toBe(false);
  });
});

describe('the remembered ids', () => {
  it('are bounded per agent by dedupMaxIds, the oldest forgotten first', async () => {
    const { store, service } = setup({ dedupMaxIds: 3 });
    for (let i = 1; i <= 5; i++) await service.dispatch('agent-7', { type: 'signIn', at: i, eventId: `e${i}` });
    expect((await store.load('agent-7'))?.record.seen.map((s) => s.eventId)).toEqual(['e3', 'e4', 'e5']);
    expect((await service.dispatch('agent-7', { type: 'signIn', at: 9, eventId: 'e1' })).duplicate).toBe(false);
    expect((await service.dispatch('agent-7', { type: 'signIn', at: 9, eventId: 'e4' })).duplicate).toBe(true);
  });

  it('are dropped from the record once outside the window, at the next save', async () => {
    const { store, clock, service } = setup({ dedupWindowMs: MINUTE });
    await service.dispatch('agent-7', { type: 'signIn', at: 1, eventId: 'old' });
    clock.advance(2 * MINUTE);
    await service.dispatch('agent-7', { type: 'signOut', at: 2 });
    expect((await store.load('agent-7'))?.record.seen).toEqual([]);
  });

  it('leave out events without an id and malformed events', async () => {
    const { store, service } = setup();
    await service.dispatch('agent-7', { type: 'signIn', at: 1 });
    await service.dispatch('agent-7', { type: 'signIn', at: -1, eventId: 'bad-time' });
    expect((await store.load('agent-7'))?.record.seen).toEqual([]);
  });

  it('with dedupMaxIds 0, nothing is remembered and every redelivery is applied', async () => {
    const { store, service } = setup({ dedupMaxIds: 0 });
    await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c1', units: 10, at: 1, eventId: 'a' });
    const again = await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c1', units: 10, at: 1, eventId: 'a' });
    expect(again).toMatchObject({ duplicate: false, rejection: { code: 'DUPLICATE_WORK_ITEM' } });
    expect((await store.load('agent-7'))?.record.seen).toEqual([]);
  });
});
