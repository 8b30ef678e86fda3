import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { assign, pick, release, run, signIn, signOut } from '../helpers/run';

const activity = (at: number): PresenceEvent => ({ type: 'activity', at });
const tick = (at: number): PresenceEvent => ({ type: 'tick', at });
const releaseWithWrapUp = (workItemId: string, wrapUpMs: number, at: number): PresenceEvent => ({ type: 'workReleased', workItemId, wrapUpMs, at });
const wrapUpEnded = (workItemId: string, at: number): PresenceEvent => ({ type: 'wrapUpEnded', workItemId, at });
const afterWork = (presenceId: string, at: number): PresenceEvent => ({ type: 'setPresence', presenceId, when: 'afterWork', at });

describe('idle', () => {
  const machine = createPresenceMachine({
    presences: [{ id: 'away-idle', name: 'Away – Idle', base: 'Away', selectable: false }],
    defaultProfile: { idleAfterMs: 300_000 },
    agents: { custom: { idlePresenceId: 'away-idle' } },
  });

  it('comes after idleAfterMs without activity while the presence is calculated, at that deadline (source idle)', () => {
    const state = run(machine, 'a1', [signIn(0), assign('c1', 30, 1_000), activity(60_000)]);
    expect(state.nextDeadline).toBe(360_000);
    expect(run(machine, state.state, [tick(359_999)]).presence.source).toBe('capacity');
    const idle = run(machine, state.state, [tick(360_000)]);
    expect(idle.presence).toMatchObject({ presenceId: 'away', source: 'idle', since: 360_000 });
    expect(idle.state.idle).toBe(true);
    expect(idle.nextDeadline).toBeUndefined();
  });

  it('ends with the next activity: the calculated presence is back', () => {
    const idle = run(machine, 'a1', [signIn(0), assign('c1', 30, 1), tick(400_000)]);
    expect(run(machine, idle.state, [activity(500_000)]).presence).toMatchObject({ presenceId: 'busy', source: 'capacity', since: 500_000 });
  });

  it('uses the profile’s idle presence', () => {
    expect(run(machine, 'custom', [signIn(0), tick(300_000)]).presence).toMatchObject({ presenceId: 'away-idle', source: 'idle' });
  });

  it('does not apply over a sticky manual or system presence, and ranks above a manual Available', () => {
    const sticky = run(machine, 'a1', [signIn(0), pick('busy-dnd', 1), tick(10_000_000)]);
    expect(sticky.presence).toMatchObject({ presenceId: 'busy-dnd', source: 'manual' });
    expect(sticky.nextDeadline).toBeUndefined();
    expect(run(machine, 'a1', [signIn(0), pick('available', 1), tick(300_001)]).presence).toMatchObject({ presenceId: 'away', source: 'idle', since: 300_001 });
  });

  it('counts sign-in, picks and resets as activity, and is never on while signed out', () => {
    expect(run(machine, 'a1', [signIn(0), pick('available', 200_000), tick(300_000)]).presence.source).toBe('manual');
    const out = run(machine, 'a1', [signIn(0), signOut(10), tick(10_000_000)]);
    expect(out.state.idle).toBe(false);
    expect(run(machine, out.state, [signIn(10_000_001)]).presence.source).toBe('capacity');
  });
});

describe('wrap-up', () => {
  const machine = createPresenceMachine({
    presences: [{ id: 'busy-wrap-up', name: 'Busy – Wrap up', base: 'Busy', selectable: false }],
    agents: { styled: { wrapUpPresenceId: 'busy-wrap-up', wrapUpMs: 60_000 } },
  });

  it('keeps the released item holding its units until the deadline, showing the capacity presence', () => {
    const wrapping = run(machine, 'a1', [signIn(0), assign('c1', 100, 1), releaseWithWrapUp('c1', 30_000, 10_000)]);
    expect(wrapping.presence).toMatchObject({ presenceId: 'busy-dnd', source: 'capacity' });
    expect(wrapping.state.work).toEqual([{ workItemId: 'c1', units: 100, since: 1, wrapUpUntil: 40_000 }]);
    expect(wrapping.nextDeadline).toBe(40_000);
    expect(machine.capacityOf(wrapping.state).units.used).toBe(100);
    const done = run(machine, wrapping.state, [tick(40_000)]);
    expect(done.presence).toMatchObject({ presenceId: 'available', source: 'capacity', since: 40_000 });
    expect(done.state.work).toEqual([]);
  });

  it('shows the wrap-up presence when the profile names one, with its default wrap-up time', () => {
    const wrapping = run(machine, 'styled', [signIn(0), assign('c1', 30, 1), release('c1', 10)]);
    expect(wrapping.presence).toMatchObject({ presenceId: 'busy-wrap-up', source: 'wrapUp', since: 10 });
    expect(wrapping.nextDeadline).toBe(60_010);
  });

  it('ends early with wrapUpEnded, and a release with wrapUpMs 0 needs none', () => {
    const wrapping = run(machine, 'styled', [signIn(0), assign('c1', 30, 1), release('c1', 10)]);
    expect(run(machine, wrapping.state, [wrapUpEnded('c1', 20)]).presence).toMatchObject({ presenceId: 'available', since: 20 });
    expect(run(machine, 'styled', [signIn(0), assign('c1', 30, 1), releaseWithWrapUp('c1', 0, 10)]).state.work).toEqual([]);
  });

  it('is skipped by a release with no wrap-up time: the presence does not pass through it, and since stays', () => {
    const zero = createPresenceMachine({
      presences: [{ id: 'busy-wrap-up', name: 'Busy – Wrap up', base: 'Busy', selectable: false }],
      defaultProfile: { wrapUpPresenceId: 'busy-wrap-up' },
      agents: { long: { wrapUpMs: 60_000 } },
    });
    // The profile's wrap-up time (0 by default), and an event's wrapUpMs of 0 over a profile's 60 s.
    for (const [agentId, releaseC1] of [
      ['a1', release('c1', 10)],
      ['long', releaseWithWrapUp('c1', 0, 10)],
    ] as const) {
      const busy = run(zero, agentId, [signIn(0), assign('c1', 30, 1), assign('c2', 30, 2)]);
      expect(busy.presence).toMatchObject({ presenceId: 'busy', since: 1 });
      const released = run(zero, busy.state, [releaseC1]);
      expect(released.presence, agentId).toMatchObject({ presenceId: 'busy', source: 'capacity', since: 1 });
      expect(released.changed).toBe(false);
      expect(released.state.work).toEqual([{ workItemId: 'c2', units: 30, since: 2 }]);
    }
  });

  it('refuses a second release of an item in wrap-up, and the end of a wrap-up that is not running', () => {
    const wrapping = run(machine, 'styled', [signIn(0), assign('c1', 30, 1), assign('c2', 30, 2), release('c1', 10)]);
    expect(machine.transition(wrapping.state, release('c1', 11)).rejection).toEqual({
      code: 'UNKNOWN_WORK_ITEM',
      message: 'Agent "styled": work item "c1" is in wrap-up',
    });
    expect(machine.transition(wrapping.state, wrapUpEnded('c2', 11)).rejection?.message).toBe('Agent "styled": work item "c2" is not in wrap-up');
    expect(machine.transition(wrapping.state, wrapUpEnded('c9', 11)).rejection?.code).toBe('UNKNOWN_WORK_ITEM');
    expect(machine.transition(wrapping.state, assign('c1', 5, 11)).rejection?.code).toBe('DUPLICATE_WORK_ITEM');
  });

  it('ranks below idle and a sticky manual presence, above a manual Busy', () => {
    const idleToo = createPresenceMachine({
      presences: [{ id: 'busy-wrap-up', name: 'Busy – Wrap up', base: 'Busy' }],
      defaultProfile: { wrapUpPresenceId: 'busy-wrap-up', wrapUpMs: 600_000, idleAfterMs: 100_000 },
    });
    const wrapping = run(idleToo, 'a1', [signIn(0), assign('c1', 30, 1), release('c1', 10)]);
    expect(run(idleToo, wrapping.state, [tick(100_000)]).presence.source).toBe('idle');
    expect(run(idleToo, wrapping.state, [pick('away', 20)]).presence.source).toBe('manual');
    expect(run(idleToo, wrapping.state, [pick('busy', 20)]).presence).toMatchObject({ presenceId: 'busy-wrap-up', source: 'wrapUp' });
  });
});

describe('a presence queued for after work', () => {
  const machine = createPresenceMachine({
    presences: [{ id: 'away-lunch', name: 'Away – Lunch', base: 'Away' }],
    defaultProfile: { wrapUpMs: 30_000 },
  });

  it('is shown as next while work is held, and applies when the last item is released (after wrap-up)', () => {
    const queued = run(machine, 'a1', [signIn(0), assign('c1', 30, 1), assign('c2', 30, 2), afterWork('away-lunch', 3)]);
    expect(queued.presence).toMatchObject({ presenceId: 'busy', source: 'capacity', next: { presenceId: 'away-lunch', base: 'Away', text: 'Away – Lunch' } });
    const one = run(machine, queued.state, [releaseWithWrapUp('c1', 0, 10)]);
    expect(one.presence.presenceId).toBe('busy');
    const wrapping = run(machine, one.state, [release('c2', 20)]);
    expect(wrapping.presence).toMatchObject({ presenceId: 'busy', next: { presenceId: 'away-lunch' } });
    const lunch = run(machine, wrapping.state, [tick(30_020)]);
    expect(lunch.presence).toMatchObject({ presenceId: 'away-lunch', source: 'manual', since: 30_020 });
    expect(lunch.presence.next).toBeUndefined();
    expect(lunch.state.next).toBeNull();
  });

  it('applies at once when no work is held', () => {
    expect(run(machine, 'a1', [signIn(0), afterWork('away-lunch', 1)]).presence).toMatchObject({ presenceId: 'away-lunch', source: 'manual', since: 1 });
  });

  it('is replaced by a later pick, queued or not, and cleared at sign-out', () => {
    const queued = run(machine, 'a1', [signIn(0), assign('c1', 30, 1), afterWork('away-lunch', 2)]).state;
    expect(run(machine, queued, [afterWork('busy-dnd', 3)]).state.next).toEqual({ presenceId: 'busy-dnd', base: 'BusyDND', source: 'manual' });
    const now = run(machine, queued, [pick('away', 3)]);
    expect(now.state.next).toBeNull();
    expect(now.presence.presenceId).toBe('away');
    expect(run(machine, queued, [signOut(3)]).state.next).toBeNull();
  });

  it('is checked like any pick: refused while signed out or for an unknown presence, with nothing queued', () => {
    const held = run(machine, 'a1', [signIn(0), assign('c1', 30, 1)]).state;
    expect(machine.transition(held, afterWork('nope', 2)).rejection?.code).toBe('UNKNOWN_PRESENCE');
    expect(machine.transition(machine.initialState('a1'), afterWork('away', 2)).rejection?.code).toBe('NOT_SIGNED_IN');
    expect(machine.transition(held, { type: 'setPresence', presenceId: 'away', when: 'later', at: 2 } as never).rejection?.message).toContain(
      'when must be "now" or "afterWork" (got "later")',
    );
  });
});
