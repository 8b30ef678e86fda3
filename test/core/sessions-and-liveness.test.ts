import { describe, expect, it } from 'vitest';
import { createPresenceMachine, DEFAULT_RECONNECT_GRACE_MS, type PresenceEvent, type PresenceMachine } from '../../src/index';
import { assign, pick, run, signIn } from '../helpers/run';

const tab = (type: 'signIn' | 'signOut' | 'heartbeat' | 'disconnected', sessionId: string, at: number): PresenceEvent => ({ type, sessionId, at });

describe('several sessions', () => {
  const machine = createPresenceMachine({ agents: { a1: { defaultPresenceId: 'away' } } });

  it('keep the agent signed in while any is, and a second sign-in does not apply the default again', () => {
    const both = run(machine, 'a1', [tab('signIn', 'tab-1', 1), pick('available', 2), tab('signIn', 'tab-2', 3)]);
    expect(both.presence).toMatchObject({ presenceId: 'available', source: 'manual', since: 2 });
    expect(both.state.sessions).toEqual([
      { sessionId: 'tab-1', lastSeen: 1 },
      { sessionId: 'tab-2', lastSeen: 3 },
    ]);
    const one = run(machine, both.state, [tab('signOut', 'tab-1', 4)]);
    expect(one.state.signedIn).toBe(true);
    expect(one.presence).toMatchObject({ presenceId: 'available', source: 'manual' });
    const none = run(machine, one.state, [tab('signOut', 'tab-2', 5)]);
    expect(none.presence).toMatchObject({ presenceId: 'offline', source: 'signOut', since: 5 });
    expect(none.state).toMatchObject({ signedIn: false, sessions: [], choice: null });
  });

  it('default to the session "default" when no sessionId is given', () => {
    const state = run(machine, 'a1', [signIn(1), tab('signIn', 'phone', 2)]).state;
    expect(state.sessions.map((s) => s.sessionId)).toEqual(['default', 'phone']);
    expect(run(machine, state, [{ type: 'signOut', at: 3 }]).state.sessions.map((s) => s.sessionId)).toEqual(['phone']);
  });

  it('refuse the sign-out of a session that is not signed in, so a lost sign-out is never silent', () => {
    const state = run(machine, 'a1', [tab('signIn', 'tab-1', 1)]).state;
    const result = machine.transition(state, tab('signOut', 'tab-9', 2));
    expect(result.rejection).toEqual({ code: 'UNKNOWN_SESSION', message: 'Agent "a1": session "tab-9" is not signed in' });
    expect(result.state).toBe(state);
    expect(result.changed).toBe(false);
  });

  it('refuse a sign-out naming no session while every session has an id of its own', () => {
    const state = run(machine, 'a1', [tab('signIn', 'tab-1', 1), tab('signIn', 'phone', 2)]).state;
    const result = machine.transition(state, { type: 'signOut', at: 3 });
    expect(result.rejection).toEqual({ code: 'UNKNOWN_SESSION', message: 'Agent "a1": session "default" is not signed in' });
    expect(result.state.signedIn).toBe(true);
  });

  it('accept a sign-out while signed out: there is nothing to lose', () => {
    const state = machine.initialState('a1');
    const result = machine.transition(state, { type: 'signOut', sessionId: 'tab-1', at: 1 });
    expect(result.rejection).toBeUndefined();
    expect(result.presence.presenceId).toBe('offline');
  });
});

describe('heartbeats and session expiry', () => {
  const machine = createPresenceMachine({ defaultProfile: { sessionTtlMs: 60_000 }, agents: { short: { sessionTtlMs: 10_000 } } });

  it('refuse a heartbeat of a session that is not signed in, so the client knows to sign in again', () => {
    const state = run(machine, 'a1', [tab('signIn', 'tab-1', 0)]).state;
    const result = machine.transition(state, tab('heartbeat', 'tab-2', 5));
    expect(result.rejection).toEqual({ code: 'UNKNOWN_SESSION', message: 'Agent "a1": session "tab-2" is not signed in' });
    expect(result.state).toBe(state);
  });

  it('expire one of two sessions at its deadline, leaving the agent signed in', () => {
    const state = run(machine, 'a1', [tab('signIn', 'tab-1', 0), tab('signIn', 'tab-2', 1_000), tab('heartbeat', 'tab-2', 30_000)]).state;
    const tick = run(machine, state, [{ type: 'tick', at: 60_000 }]);
    expect(tick.state.sessions).toEqual([{ sessionId: 'tab-2', lastSeen: 30_000 }]);
    expect(tick.presence).toMatchObject({ presenceId: 'available', source: 'capacity', since: 0 });
    expect(tick.nextDeadline).toBe(90_000);
  });

  it('sign the agent out when the last session expires, at the deadline, with source expired', () => {
    const state = run(machine, 'a1', [tab('signIn', 'tab-1', 0), pick('away', 1), tab('heartbeat', 'tab-1', 20_000)]).state;
    expect(machine.transition(state, { type: 'tick', at: 79_999 }).presence.presenceId).toBe('away');
    const expired = run(machine, state, [{ type: 'tick', at: 80_000 }]);
    expect(expired.presence).toMatchObject({ presenceId: 'offline', source: 'expired', since: 80_000 });
    expect(expired.state.choice).toBeNull();
    expect(expired.nextDeadline).toBeUndefined();
    // Work events while signed out keep saying why the agent is offline.
    expect(run(machine, expired.state, [assign('c1', 10, 90_000)]).presence).toMatchObject({ source: 'expired', since: 80_000 });
  });

  it('take the TTL from the agent’s profile', () => {
    expect(run(machine, 'short', [signIn(0)]).nextDeadline).toBe(10_000);
    expect(run(machine, 'short', [signIn(0), { type: 'tick', at: 10_000 }]).presence.source).toBe('expired');
  });

  it('never expire sessions without a TTL', () => {
    const plain = createPresenceMachine({});
    const result = run(plain, 'a1', [signIn(0), { type: 'tick', at: 1e12 }]);
    expect(result.presence.presenceId).toBe('available');
    expect(result.nextDeadline).toBeUndefined();
  });

  it('treat a sign-in of a signed-in session as a heartbeat', () => {
    const state = run(machine, 'a1', [tab('signIn', 'tab-1', 0), tab('signIn', 'tab-1', 50_000)]).state;
    expect(state.sessions).toEqual([{ sessionId: 'tab-1', lastSeen: 50_000 }]);
  });
});

describe('a dropped connection', () => {
  const GRACE = DEFAULT_RECONNECT_GRACE_MS;
  const machine = createPresenceMachine({
    presences: [{ id: 'away-training', name: 'Away – In Training', base: 'Away' }],
    defaultProfile: { defaultPresenceId: 'away' },
    agents: { nograce: { reconnectGraceMs: 0 } },
  });
  const trained = run(machine, 'a1', [signIn(0), pick('away-training', 10), tab('disconnected', 'default', 1_000)]);

  it('makes the agent Offline at once (source disconnected) when it was the last session', () => {
    expect(trained.presence).toMatchObject({ presenceId: 'offline', source: 'disconnected', since: 1_000 });
    expect(trained.state.reconnect).toEqual({ until: 1_000 + GRACE, choice: { presenceId: 'away-training', base: 'Away', source: 'manual' } });
    expect(trained.nextDeadline).toBe(1_000 + GRACE);
  });

  it('is restored by a sign-in within the grace (grace − 1 ms): the presence and manual choice the agent had', () => {
    const back = run(machine, trained.state, [signIn(1_000 + GRACE - 1)]);
    expect(back.presence).toMatchObject({ presenceId: 'away-training', source: 'manual', since: 1_000 + GRACE - 1 });
    expect(back.state.reconnect).toBeNull();
  });

  it('is not restored at or after the end of the grace (grace, grace + 1 ms): the default applies', () => {
    for (const at of [1_000 + GRACE, 1_000 + GRACE + 1]) {
      expect(run(machine, trained.state, [signIn(at)]).presence).toMatchObject({ presenceId: 'away', source: 'default' });
    }
    const ticked = run(machine, trained.state, [{ type: 'tick', at: 1_000 + GRACE }]);
    expect(ticked.state.reconnect).toBeNull();
    expect(ticked.presence).toMatchObject({ presenceId: 'offline', source: 'disconnected', since: 1_000 });
  });

  it('restores a calculated presence when there was no choice', () => {
    const busy = run(machine, 'a1', [signIn(0), pick('available', 1), assign('c1', 30, 2), tab('disconnected', 'default', 3)]);
    expect(busy.state.reconnect?.choice).toBeNull();
    expect(run(machine, busy.state, [signIn(4)]).presence).toMatchObject({ presenceId: 'busy', source: 'capacity' });
  });

  it('of one session among several changes nothing but the session list', () => {
    const two = run(machine, 'a1', [tab('signIn', 'tab-1', 0), pick('available', 1), tab('signIn', 'tab-2', 2), tab('disconnected', 'tab-1', 3)]);
    expect(two.presence).toMatchObject({ presenceId: 'available', source: 'manual' });
    expect(two.state.reconnect).toBeNull();
  });

  it('leaves nothing to restore with a grace of 0, or after an explicit sign-out', () => {
    const none = run(machine, 'nograce', [signIn(0), pick('away-training', 1), tab('disconnected', 'default', 2)]);
    expect(none.state.reconnect).toBeNull();
    expect(run(machine, none.state, [signIn(3)]).presence.source).toBe('default');
    const out = run(machine, trained.state, [{ type: 'signOut', at: 2_000 }]);
    expect(out.state.reconnect).toBeNull();
    expect(run(machine, out.state, [signIn(3_000)]).presence).toMatchObject({ presenceId: 'away', source: 'default' });
  });

  it('of a session that is not signed in is ignored', () => {
    const state = run(machine, 'a1', [signIn(0)]).state;
    expect(run(machine, state, [tab('disconnected', 'tab-9', 1)]).state.sessions).toEqual(state.sessions);
  });
});

describe('the reconnect grace beside other deadlines', () => {
  const GRACE = DEFAULT_RECONNECT_GRACE_MS;
  /** Signed in, a sticky manual Away, an item released into a wrap-up of 1 s ending at 1 003, then the connection drops at 10. */
  const droppedDuringWrapUp = (machine: PresenceMachine) =>
    run(machine, 'a1', [
      signIn(0),
      pick('away', 1),
      assign('c1', 30, 2),
      { type: 'workReleased', workItemId: 'c1', wrapUpMs: 1_000, at: 3 },
      tab('disconnected', 'default', 10),
    ]);

  it('outlasts a wrap-up ending in between, with a tick at the wrap-up end: a sign-in within the grace restores the pick', () => {
    const machine = createPresenceMachine({});
    const dropped = droppedDuringWrapUp(machine);
    expect(dropped.state.work).toEqual([{ workItemId: 'c1', units: 30, since: 2, wrapUpUntil: 1_003 }]);
    expect(dropped.nextDeadline).toBe(1_003);

    const wrapUpOver = run(machine, dropped.state, [{ type: 'tick', at: 1_003 }]);
    expect(wrapUpOver.state.work).toEqual([]);
    expect(wrapUpOver.state.reconnect).toEqual({ until: 10 + GRACE, choice: { presenceId: 'away', base: 'Away', source: 'manual' } });
    expect(wrapUpOver.presence).toMatchObject({ presenceId: 'offline', source: 'disconnected', since: 10 });
    expect(wrapUpOver.nextDeadline).toBe(10 + GRACE);

    const back = run(machine, wrapUpOver.state, [signIn(5_000)]);
    expect(back.presence).toMatchObject({ presenceId: 'away', base: 'Away', source: 'manual', since: 5_000 });
    expect(back.state.reconnect).toBeNull();
  });

  it('outlasts a wrap-up ending in between without a tick: the sign-in applies the wrap-up end first and still restores the pick', () => {
    const machine = createPresenceMachine({});
    const back = run(machine, droppedDuringWrapUp(machine).state, [signIn(5_000)]);
    expect(back.state.work).toEqual([]);
    expect(back.presence).toMatchObject({ presenceId: 'away', source: 'manual', since: 5_000 });
    expect(back.state.choice).toEqual({ presenceId: 'away', base: 'Away', source: 'manual' });
  });

  it('stays set through the other deadlines and ends only at its own', () => {
    const machine = createPresenceMachine({});
    const dropped = droppedDuringWrapUp(machine);
    const beforeEnd = run(machine, dropped.state, [{ type: 'tick', at: 10 + GRACE - 1 }]);
    expect(beforeEnd.state.reconnect?.until).toBe(10 + GRACE);
    expect(machine.nextDeadline(beforeEnd.state)).toBe(10 + GRACE);
    const ended = run(machine, beforeEnd.state, [{ type: 'tick', at: 10 + GRACE }]);
    expect(ended.state.reconnect).toBeNull();
    expect(ended.nextDeadline).toBeUndefined();
    expect(run(machine, ended.state, [signIn(10 + GRACE + 1)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
  });
});

describe('the end of the last session after a manual pick', () => {
  it('by sign-out: Offline with source signOut, the pick cleared, nothing kept to restore', () => {
    const machine = createPresenceMachine({});
    const out = run(machine, 'a1', [signIn(0), pick('away', 1), { type: 'signOut', at: 5 }]);
    expect(out.presence).toMatchObject({ presenceId: 'offline', base: 'Offline', source: 'signOut', since: 5 });
    expect(out.state).toMatchObject({ signedIn: false, sessions: [], choice: null, reconnect: null });
  });

  it('by a dropped connection: Offline with source disconnected, the pick cleared from the state and kept only for the grace', () => {
    const machine = createPresenceMachine({});
    const dropped = run(machine, 'a1', [signIn(0), pick('away', 1), tab('disconnected', 'default', 5)]);
    expect(dropped.presence).toMatchObject({ presenceId: 'offline', base: 'Offline', source: 'disconnected', since: 5 });
    expect(dropped.state).toMatchObject({ signedIn: false, sessions: [], choice: null });
    expect(dropped.state.reconnect?.choice).toEqual({ presenceId: 'away', base: 'Away', source: 'manual' });
  });

  it('by expiry: Offline with source expired at the deadline, the pick cleared', () => {
    const machine = createPresenceMachine({ defaultProfile: { sessionTtlMs: 1_000 } });
    const expired = run(machine, 'a1', [signIn(0), pick('away', 1), { type: 'tick', at: 1_000 }]);
    expect(expired.presence).toMatchObject({ presenceId: 'offline', base: 'Offline', source: 'expired', since: 1_000 });
    expect(expired.state).toMatchObject({ signedIn: false, sessions: [], choice: null, reconnect: null });
  });
});
