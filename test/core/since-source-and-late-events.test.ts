import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import type { PresenceConfig, PresenceEvent, PresenceMachine, PresenceState, Transition } from '../../src/index';
import { runAll } from '../helpers/run';

/** A fresh config object each call, so two machines can be built from equal but separate configs. */
const makeConfig = (): PresenceConfig => ({
  presences: [
    { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' },
    { id: 'available-chat', name: 'Available – Chat', base: 'Available' },
    { id: 'busy-full', name: 'Busy – Full', text: 'At capacity', base: 'BusyDND' },
  ],
  defaultProfile: { capacity: 100 },
  agents: {
    'sticky-default': { defaultPresenceId: 'away' },
    'custom-sticky-default': { defaultPresenceId: 'away-training' },
    'busy-default': { defaultPresenceId: 'busy' },
    'custom-open-default': { defaultPresenceId: 'available-chat' },
  },
});
let machine: PresenceMachine;
beforeEach(() => {
  machine = createPresenceMachine(makeConfig());
});

/** Applies events in order, failing on any refusal, and returns every transition. */
const play = (events: readonly PresenceEvent[], agentId = 'agent-1', on: PresenceMachine = machine, start?: PresenceState): Transition[] =>
  runAll(on, start ?? agentId, events);

function last(results: readonly Transition[]): Transition {
  const result = results[results.length - 1];
  if (result === undefined) throw new Error('no events played');
  return result;
}

const finalState = (events: readonly PresenceEvent[], agentId?: string): PresenceState => last(play(events, agentId)).state;

describe('since', () => {
  it('starts at the time given to initialState', () => {
    const state = machine.initialState('agent-1', 500);
    expect(machine.presenceOf(state).since).toBe(500);
  });

  it('is the at of the event that changed the presence id', () => {
    const [signIn, assigned] = play([
      { type: 'signIn', at: 1_000 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 2_000 },
    ]);
    expect(signIn?.changed).toBe(true);
    expect(signIn?.presence.since).toBe(1_000);
    expect(assigned?.changed).toBe(true);
    expect(assigned?.presence.presenceId).toBe('busy');
    expect(assigned?.presence.since).toBe(2_000);
  });

  it('stays put while later events keep the same presence id', () => {
    const results = play([
      { type: 'signIn', at: 1_000 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 2_000 },
      { type: 'workAssigned', workItemId: 'chat-2', units: 20, at: 3_000 },
      { type: 'workReleased', workItemId: 'chat-2', at: 4_000 },
      { type: 'signIn', at: 5_000 },
    ]);
    for (const result of results.slice(2)) {
      expect(result.changed).toBe(false);
      expect(result.presence.presenceId).toBe('busy');
      expect(result.presence.since).toBe(2_000);
      expect(result.state.since).toBe(2_000);
    }
    expect(last(results).state.lastAt).toBe(5_000);
  });

  it('moves again when the presence id changes back', () => {
    const result = last(
      play([
        { type: 'signIn', at: 1_000 },
        { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 2_000 },
        { type: 'workReleased', workItemId: 'chat-1', at: 7_000 },
      ]),
    );
    expect(result.changed).toBe(true);
    expect(result.presence.presenceId).toBe('available');
    expect(result.presence.since).toBe(7_000);
  });
  describe('when the event makes a deadline due at its own instant', () => {
    // A duration too short to move `at` (at epoch times, anything under about 0.0002 ms) ends the instant it
    // starts: the presence passes through the wrap-up or signed-in presence for no time at all.
    const at = 1_700_000_000_000;
    const tiny = 0.00001;

    it('keeps since when a wrap-up that ends at once leaves the presence where it was before the release', () => {
      const m = createPresenceMachine({ defaultProfile: { maxWorkItems: 1, wrapUpPresenceId: 'offline' } });
      const held = last(
        runAll(m, 'a1', [
          { type: 'signIn', at },
          { type: 'workAssigned', workItemId: 'c1', units: 0, at },
          { type: 'setPresence', presenceId: 'busy-dnd', when: 'afterWork', at: at + 1 },
        ]),
      ).state;
      expect(held).toMatchObject({ presenceId: 'busy-dnd', since: at });
      const released = m.transition(held, { type: 'workReleased', workItemId: 'c1', wrapUpMs: tiny, at: at + 1 });
      expect(released.state.work).toEqual([]);
      expect(released).toMatchObject({ changed: false, state: { presenceId: 'busy-dnd', source: 'manual', since: at } });
    });

    it('keeps since when a session whose time-to-live ends at once leaves the agent Offline', () => {
      const m = createPresenceMachine({ defaultProfile: { sessionTtlMs: tiny } });
      const start = m.initialState('a1', at);
      const signedIn = m.transition(start, { type: 'signIn', at: at + 1 });
      expect(signedIn).toMatchObject({ changed: false, state: { signedIn: false, presenceId: 'offline', source: 'expired', since: at } });
    });

    it('moves since when the presence after those deadlines differs from the one before the event', () => {
      const m = createPresenceMachine({ defaultProfile: { wrapUpPresenceId: 'away' } });
      const held = last(
        runAll(m, 'a1', [
          { type: 'signIn', at },
          { type: 'workAssigned', workItemId: 'c1', units: 100, at },
        ]),
      ).state;
      expect(held.presenceId).toBe('busy-dnd');
      const released = m.transition(held, { type: 'workReleased', workItemId: 'c1', wrapUpMs: tiny, at: at + 1 });
      expect(released).toMatchObject({ changed: true, state: { presenceId: 'available', since: at + 1 } });
    });
  });
});

describe('changed', () => {
  it('is false when a work event turns a manual Busy into the capacity Busy', () => {
    const results = play([
      { type: 'signIn', at: 1_000 },
      { type: 'setPresence', presenceId: 'busy', at: 2_000 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 3_000 },
    ]);
    const [, picked, assigned] = results;
    expect(picked?.changed).toBe(true);
    expect(picked?.presence.source).toBe('manual');
    expect(assigned?.changed).toBe(false);
    expect(assigned?.presence).toMatchObject({ presenceId: 'busy', source: 'capacity', since: 2_000 });
  });

  it('is false when the agent picks the presence they already have, though the source becomes manual', () => {
    const result = last(
      play([
        { type: 'signIn', at: 1_000 },
        { type: 'setPresence', presenceId: 'available', at: 2_000 },
      ]),
    );
    expect(result.changed).toBe(false);
    expect(result.presence).toMatchObject({ presenceId: 'available', source: 'manual', since: 1_000 });
  });

  it('is true when a custom presence replaces a standard one of the same base', () => {
    const result = last(
      play([
        { type: 'signIn', at: 1_000 },
        { type: 'setPresence', presenceId: 'away', at: 2_000 },
        { type: 'setPresence', presenceId: 'away-training', at: 3_000 },
      ]),
    );
    expect(result.changed).toBe(true);
    expect(result.presence).toMatchObject({ presenceId: 'away-training', base: 'Away', since: 3_000 });
  });

  it('is false for work events while signed out', () => {
    const results = play([
      { type: 'workAssigned', workItemId: 'case-1', units: 100, at: 1_000 },
      { type: 'workReleased', workItemId: 'case-1', at: 2_000 },
    ]);
    for (const result of results) {
      expect(result.changed).toBe(false);
      expect(result.presence).toMatchObject({ presenceId: 'offline', source: 'signOut', since: 0 });
    }
  });
});

describe('source', () => {
  it('is signOut before the first sign-in', () => {
    expect(machine.presenceOf(machine.initialState('agent-1')).source).toBe('signOut');
  });

  it('is capacity after signing in with the built-in default', () => {
    expect(machine.presenceOf(finalState([{ type: 'signIn', at: 1_000 }])).source).toBe('capacity');
  });

  it('is default when a sticky default presence is applied at sign-in', () => {
    for (const [agentId, presenceId] of [
      ['sticky-default', 'away'],
      ['custom-sticky-default', 'away-training'],
    ] as const) {
      const state = finalState([{ type: 'signIn', at: 1_000 }], agentId);
      expect(machine.presenceOf(state)).toMatchObject({ presenceId, base: 'Away', source: 'default' });
      expect(state.choice).toEqual({ presenceId, base: 'Away', source: 'default' });
    }
  });

  it('is capacity when a non-sticky default is recalculated from capacity at sign-in', () => {
    for (const agentId of ['busy-default', 'custom-open-default']) {
      const state = finalState([{ type: 'signIn', at: 1_000 }], agentId);
      expect(machine.presenceOf(state)).toMatchObject({ presenceId: 'available', source: 'capacity' });
      expect(state.choice).toBeNull();
    }
  });

  it('stays default through work events while the sticky default holds', () => {
    const state = finalState(
      [
        { type: 'signIn', at: 1_000 },
        { type: 'workAssigned', workItemId: 'chat-1', units: 100, at: 2_000 },
        { type: 'workReleased', workItemId: 'chat-1', at: 3_000 },
      ],
      'sticky-default',
    );
    expect(machine.presenceOf(state)).toMatchObject({ presenceId: 'away', source: 'default', since: 1_000 });
  });

  it('is capacity for each capacity level', () => {
    const results = play([
      { type: 'signIn', at: 1_000 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 60, at: 2_000 },
      { type: 'workAssigned', workItemId: 'chat-2', units: 40, at: 3_000 },
    ]);
    expect(results.map((r) => [r.presence.presenceId, r.presence.source])).toEqual([
      ['available', 'capacity'],
      ['busy', 'capacity'],
      ['busy-dnd', 'capacity'],
    ]);
  });

  it('is manual after a pick, and capacity again after the next work event clears an Available or Busy pick', () => {
    const [, picked, assigned] = play([
      { type: 'signIn', at: 1_000 },
      { type: 'setPresence', presenceId: 'available-chat', at: 2_000 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 3_000 },
    ]);
    expect(picked?.presence).toMatchObject({ presenceId: 'available-chat', source: 'manual' });
    expect(assigned?.presence).toMatchObject({ presenceId: 'busy', source: 'capacity', since: 3_000 });
  });

  it('stays manual through work events after a sticky pick', () => {
    const state = finalState([
      { type: 'signIn', at: 1_000 },
      { type: 'setPresence', presenceId: 'busy-dnd', at: 2_000 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 3_000 },
      { type: 'workReleased', workItemId: 'chat-1', at: 4_000 },
    ]);
    expect(machine.presenceOf(state)).toMatchObject({ presenceId: 'busy-dnd', source: 'manual', since: 2_000 });
  });

  it('is manual when a signed-in agent picks Offline', () => {
    const state = finalState([
      { type: 'signIn', at: 1_000 },
      { type: 'setPresence', presenceId: 'offline', at: 2_000 },
    ]);
    expect(state.signedIn).toBe(true);
    expect(machine.presenceOf(state)).toMatchObject({ presenceId: 'offline', base: 'Offline', source: 'manual' });
  });

  it('is signOut after signing out, with work still held', () => {
    const state = finalState([
      { type: 'signIn', at: 1_000 },
      { type: 'setPresence', presenceId: 'away', at: 2_000 },
      { type: 'workAssigned', workItemId: 'case-1', units: 10, at: 3_000 },
      { type: 'signOut', at: 4_000 },
    ]);
    expect(machine.presenceOf(state)).toMatchObject({ presenceId: 'offline', source: 'signOut', since: 4_000 });
    expect(state.choice).toBeNull();
    expect(state.work).toHaveLength(1);
  });

  it('is default again at the next sign-in, not the manual pick made before signing out', () => {
    const state = finalState(
      [
        { type: 'signIn', at: 1_000 },
        { type: 'setPresence', presenceId: 'busy-dnd', at: 2_000 },
        { type: 'signOut', at: 3_000 },
        { type: 'signIn', at: 4_000 },
      ],
      'sticky-default',
    );
    expect(machine.presenceOf(state)).toMatchObject({ presenceId: 'away', source: 'default', since: 4_000 });
  });

  it('is the same in the transition, in the state and in presenceOf', () => {
    const results = play([
      { type: 'signIn', at: 1_000 },
      { type: 'setPresence', presenceId: 'away', at: 2_000 },
      { type: 'signOut', at: 3_000 },
    ]);
    for (const result of results) {
      expect(result.presence).toEqual(machine.presenceOf(result.state));
      expect(result.state.source).toBe(result.presence.source);
      expect(result.state.since).toBe(result.presence.since);
    }
  });
});

describe('late events', () => {
  const busyAt5000 = () =>
    finalState([
      { type: 'signIn', at: 1_000 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 5_000 },
    ]);

  it('applies an event stamped before lastAt at lastAt and reports how late it was', () => {
    const result = machine.transition(busyAt5000(), { type: 'workReleased', workItemId: 'chat-1', at: 3_500 });
    expect(result.late).toBe(1_500);
    expect(result.changed).toBe(true);
    expect(result.presence.since).toBe(5_000);
    expect(result.state.lastAt).toBe(5_000);
  });

  it('stamps a late assignment with lastAt', () => {
    const result = machine.transition(busyAt5000(), { type: 'workAssigned', workItemId: 'chat-2', units: 10, at: 4_000 });
    expect(result.late).toBe(1_000);
    expect(result.state.work.find((item) => item.workItemId === 'chat-2')?.since).toBe(5_000);
  });

  it('reports lateness for a late event that changes nothing', () => {
    const result = machine.transition(busyAt5000(), { type: 'signIn', at: 0 });
    expect(result.late).toBe(5_000);
    expect(result.changed).toBe(false);
    expect(result.presence.since).toBe(5_000);
  });

  it('leaves late out for events on time or at exactly lastAt', () => {
    const state = busyAt5000();
    expect(machine.transition(state, { type: 'workReleased', workItemId: 'chat-1', at: 5_000 })).not.toHaveProperty('late');
    expect(machine.transition(state, { type: 'workReleased', workItemId: 'chat-1', at: 6_000 })).not.toHaveProperty('late');
  });

  it('never lets lastAt or since decrease over events out of order', () => {
    const results = play([
      { type: 'signIn', at: 4_000 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 2_000 },
      { type: 'setPresence', presenceId: 'away', at: 9_000 },
      { type: 'setPresence', presenceId: 'busy-dnd', at: 1_000 },
      { type: 'workReleased', workItemId: 'chat-1', at: 3_000 },
      { type: 'signOut', at: 8_000 },
      { type: 'signIn', at: 12_000 },
    ]);
    let previous = { lastAt: 0, since: 0 };
    for (const result of results) {
      expect(result.state.lastAt).toBeGreaterThanOrEqual(previous.lastAt);
      expect(result.state.since).toBeGreaterThanOrEqual(previous.since);
      previous = result.state;
    }
    expect(results.map((r) => r.state.lastAt)).toEqual([4_000, 4_000, 9_000, 9_000, 9_000, 9_000, 12_000]);
    expect(results.map((r) => r.late)).toEqual([undefined, 2_000, undefined, 8_000, 6_000, 1_000, undefined]);
  });

  it('keeps lastAt untouched when a late event is refused', () => {
    const state = busyAt5000();
    const result = machine.transition(state, { type: 'workReleased', workItemId: 'chat-9', at: 1_000 });
    expect(result.rejection?.code).toBe('UNKNOWN_WORK_ITEM');
    expect(result.state).toBe(state);
    expect(result.state.lastAt).toBe(5_000);
  });
});

describe('determinism', () => {
  const day: PresenceEvent[] = [
    { type: 'workAssigned', workItemId: 'case-1', units: 30, at: 500 },
    { type: 'signIn', at: 1_000 },
    { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 2_000 },
    { type: 'setPresence', presenceId: 'available-chat', at: 2_500 },
    { type: 'workAssigned', workItemId: 'chat-2', units: 40, at: 2_400 },
    { type: 'setPresence', presenceId: 'away-training', at: 3_000 },
    { type: 'workReleased', workItemId: 'case-1', at: 4_000 },
    { type: 'signOut', at: 5_000 },
    { type: 'signIn', at: 6_000 },
  ];

  it('gives the same transitions on two machines built from equal configs', () => {
    const first = createPresenceMachine(makeConfig());
    const second = createPresenceMachine(makeConfig());
    for (const agentId of ['agent-1', 'sticky-default', 'custom-open-default']) {
      expect(play(day, agentId, second)).toEqual(play(day, agentId, first));
    }
  });

  it('gives the same transitions when the same events are replayed on one machine', () => {
    expect(play(day)).toEqual(play(day));
  });

  it('gives the same transitions from a JSON copy of the state', () => {
    const start = finalState(day.slice(0, 4));
    const copy: PresenceState = JSON.parse(JSON.stringify(start));
    const rest = day.slice(4);
    expect(play(rest, 'agent-1', machine, copy)).toEqual(play(rest, 'agent-1', machine, start));
  });

  it('keeps every state plain JSON', () => {
    for (const result of play(day)) {
      expect(JSON.parse(JSON.stringify(result.state))).toEqual(result.state);
    }
  });

  it('does not change the state it is given', () => {
    const start = finalState(day.slice(0, 3));
    const snapshot = structuredClone(start);
    play(day.slice(3), 'agent-1', machine, start);
    expect(start).toEqual(snapshot);
  });
});
