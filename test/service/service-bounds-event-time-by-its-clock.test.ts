import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { PresenceSnapshotError } from '../../src/schema/index';
import { createMemoryPresenceStore, createPresenceService, DEFAULT_MAX_CLOCK_SKEW_MS } from '../../src/service/index';
import { manualClock, recordingScheduler } from '../helpers/service';

const NOW = 1_700_000_000_000;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 90_000, wrapUpMs: 30_000 } });

function setup(options: { maxClockSkewMs?: number } = {}) {
  const clock = manualClock(NOW);
  const store = createMemoryPresenceStore();
  const scheduler = recordingScheduler();
  const service = createPresenceService({ machine, store, clock, scheduler, ...options });
  return { clock, store, scheduler, service };
}

describe('the service and event time', () => {
  it('stamps an event without `at` with its own clock, in dispatch and dispatchRaw', async () => {
    const { service, clock } = setup();
    const signedIn = await service.dispatch('a1', { type: 'signIn' });
    expect(signedIn.presence).toMatchObject({ presenceId: 'available', since: NOW });
    clock.advance(5_000);
    const assigned = await service.dispatchRaw('a1', JSON.stringify({ type: 'workAssigned', workItemId: 'c1', units: 40 }));
    expect(assigned.state.work).toEqual([{ workItemId: 'c1', units: 40, since: NOW + 5_000 }]);
    expect(assigned.state.sessions).toEqual([{ sessionId: 'default', lastSeen: NOW }]);
  });

  it('keeps a session alive that a browser two minutes slow would have expired at once', async () => {
    const { service, clock } = setup();
    const slowBrowser = NOW - 120_000;
    // Trusting the browser: the session would be 30 s past its 90 s time-to-live as it signs in.
    const trusted = machine.transition(machine.initialState('a1', slowBrowser), { type: 'signIn', at: slowBrowser });
    expect(machine.transition(trusted.state, { type: 'tick', at: NOW }).state.signedIn).toBe(false);
    // Stamped by the service: signed in now, expiring 90 s from now.
    const stamped = await service.dispatch('a1', { type: 'signIn' });
    expect(stamped.nextDeadline).toBe(NOW + 90_000);
    clock.advance(1_000);
    expect((await service.dispatch('a1', { type: 'heartbeat' })).state.signedIn).toBe(true);
  });

  it('refuses an event further ahead than maxClockSkewMs with EVENT_IN_FUTURE, changing nothing, deadlines included', async () => {
    const { service, store, scheduler } = setup();
    await service.dispatch('a1', { type: 'signIn', at: NOW - 100_000 });
    const before = await store.load('a1');
    const calls = scheduler.calls.length;
    // Its deadline (NOW - 10 000) has passed, yet a refused event must not apply it: the refusal changes nothing.
    const far = await service.dispatch('a1', { type: 'setPresence', presenceId: 'away', at: 1e15 });
    expect(far.rejection?.code).toBe('EVENT_IN_FUTURE');
    expect(far.rejection?.message).toContain('Agent "a1": at 1000000000000000 is');
    expect(far.rejection?.message).toContain('leave at out to have the service stamp it');
    expect(far.changed).toBe(false);
    expect(far.version).toBe(before?.version);
    expect(far.state).toEqual(before?.record.state);
    expect(far.state.signedIn).toBe(true);
    expect(await store.load('a1')).toEqual(before);
    expect(scheduler.calls.length).toBe(calls);
    // The next real event is not late, and a 30 s wrap-up ends 30 s after it.
    const assigned = await service.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 10, at: NOW });
    expect(assigned.late).toBeUndefined();
  });

  it('takes an event exactly maxClockSkewMs ahead, and refuses one a millisecond further', async () => {
    const { service } = setup({ maxClockSkewMs: 2_000 });
    expect((await service.dispatch('a1', { type: 'signIn', at: NOW + 2_000 })).rejection).toBeUndefined();
    expect((await service.dispatch('a2', { type: 'signIn', at: NOW + 2_001 })).rejection?.code).toBe('EVENT_IN_FUTURE');
    expect((await service.get('a2')).version).toBe(0);
    expect(DEFAULT_MAX_CLOCK_SKEW_MS).toBe(10_000);
  });

  it('refuses a bad maxClockSkewMs, naming it', () => {
    expect(() => createPresenceService({ machine, maxClockSkewMs: -1 })).toThrow('maxClockSkewMs: must be a finite number ≥ 0');
    expect(() => createPresenceService({ machine, maxClockSkewMs: Number.NaN })).toThrow('maxClockSkewMs');
  });
});

describe('ingest of a malformed state', () => {
  it('throws PresenceSnapshotError naming the field, and leaves the roster as it was', async () => {
    const { service } = setup();
    await service.dispatch('a1', { type: 'signIn', at: NOW });
    const query = { units: 10, bases: ['Available' as const], limit: 5, order: 'mostFree' as const };
    expect((await service.findAvailable(query)).map((c) => c.agentId)).toEqual(['a1']);
    const { state } = await service.get('a1');
    const broken = { ...state, lastAt: null } as unknown as typeof state;
    expect(() => service.ingest({ agentId: 'a1', state: broken, version: 9 })).toThrow(PresenceSnapshotError);
    expect(() => service.ingest({ agentId: 'a1', state: broken, version: 9 })).toThrow('state.lastAt');
    expect((await service.findAvailable(query)).map((c) => c.agentId)).toEqual(['a1']);
  });
});
