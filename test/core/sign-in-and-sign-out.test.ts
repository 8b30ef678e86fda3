import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import type { PresenceInput, PresenceMachine } from '../../src/index';
import { assign, pick, release, run, runAll, signIn, signOut } from '../helpers/run';

const presences: PresenceInput[] = [
  { id: 'ready', name: 'Ready', base: 'Available' },
  { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' },
];
/** One agent per kind of default presence. */
let machine: PresenceMachine;
beforeEach(() => {
  machine = createPresenceMachine({
    presences,
    agents: {
      'busy-default': { defaultPresenceId: 'busy' },
      'ready-default': { defaultPresenceId: 'ready' },
      'away-default': { defaultPresenceId: 'away' },
      'dnd-default': { defaultPresenceId: 'busy-dnd' },
      'offline-default': { defaultPresenceId: 'offline' },
      'training-default': { defaultPresenceId: 'away-training' },
    },
  });
});

describe('before the first sign-in', () => {
  it('an agent is signed out, Offline, with nothing to pick', () => {
    const state = machine.initialState('a1', 500);
    expect(state.signedIn).toBe(false);
    expect(machine.presenceOf(state)).toMatchObject({ presenceId: 'offline', base: 'Offline', source: 'signOut', since: 500 });
    expect(machine.selectablePresences(state)).toEqual([]);
  });
});

describe('signing in', () => {
  it('makes an agent without a default presence Available, by capacity, from the sign-in time', () => {
    const result = run(machine, 'no-default', [signIn(1_000)]);
    expect(result.changed).toBe(true);
    expect(result.state.signedIn).toBe(true);
    expect(result.presence).toMatchObject({ presenceId: 'available', base: 'Available', source: 'capacity', since: 1_000 });
  });

  it.each(['busy-default', 'ready-default'])('recalculates a default based on Available or Busy from capacity (%s)', (agentId) => {
    const result = run(machine, agentId, [signIn(1)]);
    expect(result.presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
    expect(result.state.choice).toBeNull();
  });

  it('recalculates a non-sticky default from the work already held', () => {
    expect(run(machine, 'busy-default', [assign('case-1', 40, 1), signIn(2)]).presence.presenceId).toBe('busy');
    expect(run(machine, 'ready-default', [assign('case-1', 100, 1), signIn(2)]).presence.presenceId).toBe('busy-dnd');
  });

  it.each([
    { agentId: 'away-default', presenceId: 'away', base: 'Away', text: 'Appear away' },
    { agentId: 'dnd-default', presenceId: 'busy-dnd', base: 'BusyDND', text: 'Do not disturb' },
    { agentId: 'offline-default', presenceId: 'offline', base: 'Offline', text: 'Offline' },
    { agentId: 'training-default', presenceId: 'away-training', base: 'Away', text: 'In training' },
  ] as const)('applies a default based on $base as is, with source default ($presenceId)', ({ agentId, presenceId, base, text }) => {
    const result = run(machine, agentId, [signIn(1)]);
    expect(result.presence).toMatchObject({ presenceId, base, text, source: 'default' });
    expect(result.state.choice).toEqual({ presenceId, base, source: 'default' });
    expect(result.state.signedIn).toBe(true);
  });

  it('applies a sticky default even over work already held', () => {
    expect(run(machine, 'away-default', [assign('case-1', 100, 1), signIn(2)]).presence).toMatchObject({
      presenceId: 'away',
      source: 'default',
    });
  });

  it('keeps a sticky default through work events', () => {
    const results = runAll(machine, 'training-default', [signIn(1), assign('chat-1', 60, 2), assign('chat-2', 60, 3), release('chat-1', 4)]);
    for (const result of results) expect(result.presence).toMatchObject({ presenceId: 'away-training', source: 'default', since: 1 });
  });

  it('lets the agent replace a sticky default by picking another presence', () => {
    const result = run(machine, 'away-default', [signIn(1), assign('chat-0', 0, 1), pick('busy', 2)]);
    expect(result.presence).toMatchObject({ presenceId: 'busy', source: 'manual' });
    expect(run(machine, result.state, [release('chat-0', 3)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
  });

  it('while already signed in changes nothing, not even a manual pick', () => {
    const picked = run(machine, 'away-default', [signIn(1), pick('available', 2)]);
    const again = machine.transition(picked.state, signIn(3));
    expect(again.rejection).toBeUndefined();
    expect(again.changed).toBe(false);
    expect(again.presence).toMatchObject({ presenceId: 'available', source: 'manual', since: 2 });
    expect(again.state.choice).toEqual(picked.state.choice);
  });
});

describe('signing in again after signing out', () => {
  it('applies the sticky default again, even after a manual pick', () => {
    const results = runAll(machine, 'away-default', [signIn(1), pick('busy-dnd', 2), signOut(3), signIn(4)]);
    expect(results.map((r) => r.presence.presenceId)).toEqual(['away', 'busy-dnd', 'offline', 'away']);
    expect(results[3]?.presence.source).toBe('default');
  });

  it('recalculates a non-sticky default again, even after a sticky manual pick', () => {
    const result = run(machine, 'busy-default', [signIn(1), pick('away-training', 2), signOut(3), signIn(4)]);
    expect(result.presence).toMatchObject({ presenceId: 'available', source: 'capacity', since: 4 });
  });

  it('applies the default on every cycle', () => {
    const cycle = [signIn(1), pick('busy-dnd', 2), signOut(3), signIn(4), pick('available', 5), signOut(6), signIn(7)];
    expect(run(machine, 'away-default', cycle).presence).toMatchObject({ presenceId: 'away', source: 'default' });
  });
});

describe('signing out', () => {
  it.each([
    { agentId: 'no-default', before: [signIn(1), assign('chat-1', 40, 2)] },
    { agentId: 'no-default', before: [signIn(1), pick('away-training', 2)] },
    { agentId: 'dnd-default', before: [signIn(1), pick('available', 2)] },
    { agentId: 'offline-default', before: [signIn(1)] },
  ])('makes $agentId Offline with source signOut and clears the choice', ({ agentId, before }) => {
    const result = run(machine, agentId, [...before, signOut(10)]);
    expect(result.state.signedIn).toBe(false);
    expect(result.state.choice).toBeNull();
    expect(result.presence).toMatchObject({ presenceId: 'offline', base: 'Offline', text: 'Offline', source: 'signOut' });
    expect(machine.selectablePresences(result.state)).toEqual([]);
  });

  it('changes the presence from the sign-out time', () => {
    const result = run(machine, 'a1', [signIn(1), signOut(10)]);
    expect(result.changed).toBe(true);
    expect(result.presence.since).toBe(10);
  });

  it('reports no change when signing out from a chosen Offline', () => {
    const result = run(machine, 'a1', [signIn(1), pick('offline', 2), signOut(10)]);
    expect(result.changed).toBe(false);
    expect(result.presence).toMatchObject({ presenceId: 'offline', source: 'signOut', since: 2 });
  });

  it('while already signed out is accepted and changes nothing', () => {
    const out = run(machine, 'a1', [signIn(1), signOut(2)]);
    const again = machine.transition(out.state, signOut(3));
    expect(again.rejection).toBeUndefined();
    expect(again.changed).toBe(false);
    expect(again.presence).toMatchObject({ presenceId: 'offline', source: 'signOut', since: 2 });
  });

  it('keeps the work held', () => {
    const result = run(machine, 'a1', [signIn(1), assign('chat-1', 40, 2), assign('case-1', 30, 3), signOut(4)]);
    expect(result.state.work.map((item) => item.workItemId)).toEqual(['chat-1', 'case-1']);
  });

  it('leaves a signed-out agent unable to pick a presence', () => {
    const out = run(machine, 'a1', [signIn(1), signOut(2)]);
    const refused = machine.transition(out.state, pick('available', 3));
    expect(refused.rejection?.code).toBe('NOT_SIGNED_IN');
    expect(refused.state).toBe(out.state);
  });
});

describe('work events while signed out', () => {
  it('are accepted and leave the agent Offline', () => {
    const results = runAll(machine, 'a1', [assign('case-1', 40, 1), assign('case-2', 70, 2), release('case-1', 3)]);
    for (const result of results) {
      expect(result.rejection).toBeUndefined();
      expect(result.changed).toBe(false);
      expect(result.presence).toMatchObject({ presenceId: 'offline', base: 'Offline', source: 'signOut', since: 0 });
    }
    expect(results[2]?.state.work.map((item) => item.workItemId)).toEqual(['case-2']);
  });

  it('are reflected by capacity at the next sign-in', () => {
    expect(run(machine, 'a1', [assign('case-1', 40, 1), signIn(2)]).presence).toMatchObject({ presenceId: 'busy', source: 'capacity' });
    expect(run(machine, 'a1', [assign('case-1', 40, 1), assign('case-2', 60, 2), signIn(3)]).presence.presenceId).toBe('busy-dnd');
  });

  it('count towards capacity together with work kept from before the sign-out', () => {
    const events = [signIn(1), assign('chat-1', 40, 2), signOut(3), assign('case-1', 60, 4), signIn(5)];
    expect(run(machine, 'a1', events).presence.presenceId).toBe('busy-dnd');
    expect(run(machine, 'a1', [...events.slice(0, 3), release('chat-1', 4), signIn(5)]).presence.presenceId).toBe('available');
  });

  it('do not keep a sticky default from applying at the next sign-in', () => {
    expect(run(machine, 'dnd-default', [assign('case-1', 10, 1), signIn(2)]).presence).toMatchObject({
      presenceId: 'busy-dnd',
      source: 'default',
    });
  });
});
