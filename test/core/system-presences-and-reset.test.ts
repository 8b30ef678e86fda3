import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { assign, pick, release, run, signIn, signOut } from '../helpers/run';

const missed = (at: number): PresenceEvent => ({ type: 'workMissed', workItemId: 'offer-1', at });
const rejected = (at: number): PresenceEvent => ({ type: 'workRejected', at });
const reset = (at: number): PresenceEvent => ({ type: 'resetPresence', at });

const machine = createPresenceMachine({
  presences: [
    { id: 'system-review', name: 'Busy – Under review', base: 'Busy', selectable: false },
    { id: 'away-training', name: 'Away – In Training', base: 'Away' },
  ],
  defaultProfile: { onMissed: 'inactive', onRejected: 'busy-dnd' },
  agents: { plain: { onMissed: 'system-review' } },
});

describe('system presences', () => {
  it('cannot be picked by the agent, and are not offered in the picker', () => {
    const state = run(machine, 'a1', [signIn(0)]).state;
    for (const id of ['inactive', 'system-review']) {
      const result = machine.transition(state, pick(id, 1));
      expect(result.rejection).toEqual({
        code: 'PRESENCE_NOT_SELECTABLE',
        message: `Agent "a1": cannot set presence "${id}": a system presence; pick one of selectablePresences`,
      });
      expect(result.state).toBe(state);
    }
    expect(machine.selectablePresences(state).map((p) => p.id)).toEqual(['available', 'busy', 'busy-dnd', 'away', 'offline', 'away-training']);
  });

  it('are set by a missed or declined offer, with source missed or rejected', () => {
    expect(run(machine, 'a1', [signIn(0), missed(5)]).presence).toMatchObject({
      presenceId: 'inactive',
      text: 'Inactive',
      base: 'Away',
      source: 'missed',
      since: 5,
    });
    expect(run(machine, 'a1', [signIn(0), rejected(5)]).presence).toMatchObject({ presenceId: 'busy-dnd', source: 'rejected' });
    expect(run(machine, 'plain', [signIn(0), missed(5)]).presence).toMatchObject({ presenceId: 'system-review', base: 'Busy', source: 'missed' });
  });

  it('are off by default: a missed or declined offer then changes nothing', () => {
    const off = createPresenceMachine({});
    const state = run(off, 'a1', [signIn(0)]).state;
    for (const event of [missed(1), rejected(1)]) {
      const result = run(off, state, [event]);
      expect(result.changed).toBe(false);
      expect(result.state.choice).toBeNull();
    }
  });

  it('do nothing while the agent is signed out', () => {
    expect(run(machine, 'a1', [missed(1), signIn(2)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
  });

  it('hold through work events, even one based on Busy, and rank above a sticky manual presence', () => {
    const review = run(machine, 'plain', [signIn(0), missed(1), assign('c1', 100, 2), release('c1', 3)]);
    expect(review.presence).toMatchObject({ presenceId: 'system-review', source: 'missed', since: 1 });
    const overTraining = run(machine, 'a1', [signIn(0), pick('away-training', 1), missed(2)]);
    expect(overTraining.presence).toMatchObject({ presenceId: 'inactive', source: 'missed' });
  });

  it('give way to a pick of the agent, and are cleared at sign-out', () => {
    expect(run(machine, 'a1', [signIn(0), missed(1), pick('busy', 2)]).presence).toMatchObject({ presenceId: 'busy', source: 'manual' });
    expect(run(machine, 'a1', [signIn(0), missed(1), signOut(2), signIn(3)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
  });
});

describe('resetPresence', () => {
  it('clears a system or manual presence: presence is calculated from capacity again', () => {
    expect(run(machine, 'a1', [signIn(0), assign('c1', 30, 1), missed(2), reset(3)]).presence).toMatchObject({
      presenceId: 'busy',
      source: 'capacity',
      since: 3,
    });
    expect(run(machine, 'a1', [signIn(0), pick('away-training', 1), reset(2)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
  });

  it('clears a sticky default too, and a queued pick', () => {
    const sticky = createPresenceMachine({ defaultProfile: { defaultPresenceId: 'away' } });
    expect(run(sticky, 'a1', [signIn(0), reset(1)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
    const queued = run(sticky, 'a1', [signIn(0), assign('c1', 10, 1), { type: 'setPresence', presenceId: 'away', when: 'afterWork', at: 2 }, reset(3)]);
    expect(queued.state.next).toBeNull();
    expect(run(sticky, queued.state, [release('c1', 4)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
  });

  it('ignores a stray presenceId field: it resets to the capacity presence, it does not set that presence', () => {
    const plain = createPresenceMachine({});
    const stray = { type: 'resetPresence', presenceId: 'away', at: 3 } as PresenceEvent;
    const fromPick = run(plain, 'a1', [signIn(0), pick('busy-dnd', 1), assign('c1', 30, 2), stray]);
    expect(fromPick.presence).toMatchObject({ presenceId: 'busy', base: 'Busy', source: 'capacity', since: 3 });
    expect(fromPick.state.choice).toBeNull();
    const fromNothing = run(plain, 'a1', [signIn(0), stray]);
    expect(fromNothing.presence).toMatchObject({ presenceId: 'available', source: 'capacity', since: 0 });
    expect(fromNothing.changed).toBe(false);
    expect(fromNothing.state.choice).toBeNull();
  });

  it('is refused while signed out', () => {
    const state = machine.initialState('a1');
    expect(machine.transition(state, reset(1)).rejection).toEqual({
      code: 'NOT_SIGNED_IN',
      message: 'Agent "a1": cannot reset presence: not signed in',
    });
  });
});
