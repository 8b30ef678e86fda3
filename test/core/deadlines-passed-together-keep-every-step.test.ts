import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type HeldWorkItem, type PresenceState } from '../../src/index';
import { presenceModel } from '../../src/testing/index';
import { run, signIn } from '../helpers/run';

/**
 * One event passing several deadlines applies each at its own time, in order: what the presence was between them
 * shows in the final `since`, `source` and lists. Each case is built so that skipping a step, taking the steps in
 * the wrong order or counting the work wrongly between them gives another answer; the reference model, which
 * recounts everything at each deadline, must agree.
 */
const held = (workItemId: string, units: number, wrapUpUntil?: number, profile?: string): HeldWorkItem => ({
  workItemId,
  units,
  since: 0,
  ...(profile === undefined ? {} : { profile }),
  ...(wrapUpUntil === undefined ? {} : { wrapUpUntil }),
});

function passAll(
  config: Parameters<typeof createPresenceMachine>[0],
  work: HeldWorkItem[],
  at = 1_000,
  edit: (state: PresenceState) => PresenceState = (s) => s,
) {
  const machine = createPresenceMachine(config);
  const model = presenceModel(config ?? {});
  const start = edit({ ...run(machine, 'a1', [signIn(0)]).state, work });
  const settled = machine.transition(start, { type: 'tick', at: 0 }).state; // the presence of that work, at 0
  const result = machine.transition(settled, { type: 'tick', at });
  const expected = model.transition(settled, { type: 'tick', at });
  expect(result.state).toEqual(expected.state);
  return { settled, result };
}

describe('deadlines passed by one event', () => {
  it('count the units left after each wrap-up: full until the big item ends, then Busy from that time', () => {
    // 12 of 10 units: full. The 1-unit item ends at 100 (11 left: still full), the 9-unit one at 200 (2 left: Busy).
    const { settled, result } = passAll({ defaultProfile: { capacity: 10 } }, [held('small', 1, 100), held('big', 9, 200), held('kept', 2)]);
    expect(settled.presenceId).toBe('busy-dnd');
    expect(result.presence).toMatchObject({ presenceId: 'busy', since: 200 });
  });

  it('count every unit still in wrap-up at a deadline that ends no wrap-up (a second session expiring)', () => {
    // Full on an item in wrap-up until 500; one of two sessions expires at 100: still signed in, still full.
    const config = { defaultProfile: { capacity: 10, sessionTtlMs: 100 } };
    const twoSessions = (state: PresenceState): PresenceState => ({
      ...state,
      sessions: [
        { sessionId: 's1', lastSeen: 0 },
        { sessionId: 's2', lastSeen: 60 },
      ],
    });
    const { settled, result } = passAll(config, [held('wrapping', 10, 500)], 120, twoSessions);
    expect(settled.presenceId).toBe('busy-dnd');
    expect(result.state.sessions).toEqual([{ sessionId: 's2', lastSeen: 60 }]);
    expect(result.presence).toMatchObject({ presenceId: 'busy-dnd', since: settled.since });
  });

  it('take the wrap-ups in the order they end, whatever their order in the list', () => {
    // Listed late-ending first: the 9-unit item ends at 100 (3 left: Busy from 100), the other at 200 (Busy still).
    const { result } = passAll({ defaultProfile: { capacity: 10 } }, [held('late', 1, 200), held('early', 9, 100), held('kept', 2)]);
    expect(result.presence).toMatchObject({ presenceId: 'busy', since: 100 });
    expect(result.state.work).toEqual([held('kept', 2)]);
  });

  it('count the items of each capacity profile after each wrap-up', () => {
    const config = { defaultProfile: { capacity: 100, capacityProfiles: { chat: { maxItems: 2, blocking: true } } } };
    // Three chats: full. One ends at 100 (two left: still full), one at 200 (one left: Busy from 200).
    const { settled, result } = passAll(config, [held('c1', 1, 100, 'chat'), held('c2', 1, 200, 'chat'), held('c3', 1, undefined, 'chat')]);
    expect(settled.presenceId).toBe('busy-dnd');
    expect(result.presence).toMatchObject({ presenceId: 'busy', since: 200 });
  });

  it('keep the wrap-up presence while any item is still in wrap-up', () => {
    const config = { presences: [{ id: 'wrap', name: 'Busy – Wrap-up', base: 'Busy' as const }], defaultProfile: { wrapUpPresenceId: 'wrap' } };
    const { settled, result } = passAll(config, [held('w1', 1, 100), held('w2', 1, 200), held('kept', 1)]);
    expect(settled.presenceId).toBe('wrap');
    expect(result.presence).toMatchObject({ presenceId: 'busy', source: 'capacity', since: 200 });
  });

  it('leave a signed-out agent signed out by its own sign-out when its wrap-up ends', () => {
    const machine = createPresenceMachine({ defaultProfile: { wrapUpMs: 100 } });
    const out = run(machine, 'a1', [
      signIn(0),
      { type: 'workAssigned', workItemId: 'c1', units: 10, at: 1 },
      { type: 'workReleased', workItemId: 'c1', at: 2 },
      { type: 'signOut', at: 3 },
    ]);
    const after = machine.transition(out.state, { type: 'tick', at: 500 });
    expect(after.state.work).toEqual([]);
    expect(after.presence).toMatchObject({ presenceId: 'offline', source: 'signOut', since: 3 });
  });

  it('keep a list nothing of which ended as the same array, and cut only the list that changed', () => {
    const machine = createPresenceMachine({ defaultProfile: { idleAfterMs: 50, wrapUpMs: 100, sessionTtlMs: 10_000 } });
    const busy = run(machine, 'a1', [signIn(0), { type: 'workAssigned', workItemId: 'c1', units: 10, at: 1 }]).state;
    const idle = machine.transition(busy, { type: 'tick', at: 60 });
    expect(idle.state.idle).toBe(true);
    expect(idle.state.sessions).toBe(busy.sessions);
    expect(idle.state.work).toBe(busy.work);
    const released = run(machine, busy, [{ type: 'workReleased', workItemId: 'c1', at: 70 }]).state;
    const ended = machine.transition(released, { type: 'tick', at: 500 });
    expect(ended.state.work).toEqual([]);
    expect(ended.state.sessions).toBe(released.sessions);
  });
});

describe('a system presence set after a rejected offer', () => {
  it('holds through work events even on a base that is not sticky', () => {
    const machine = createPresenceMachine({ defaultProfile: { capacity: 100, onRejected: 'busy' } });
    const rejected = run(machine, 'a1', [signIn(0), { type: 'workRejected', at: 1 }]);
    expect(rejected.presence).toMatchObject({ presenceId: 'busy', source: 'rejected' });
    const after = run(machine, rejected.state, [
      { type: 'workAssigned', workItemId: 'c1', units: 100, at: 2 },
      { type: 'workReleased', workItemId: 'c1', at: 3 },
    ]);
    expect(after.presence).toMatchObject({ presenceId: 'busy', source: 'rejected', since: 1 });
  });
});

describe('capacity profiles, several blocking', () => {
  it('make the agent full when any one blocking profile is at its limit', () => {
    const machine = createPresenceMachine({
      defaultProfile: { capacity: 100, capacityProfiles: { chat: { maxItems: 1, blocking: true }, voice: { maxItems: 1, blocking: true } } },
    });
    const chatting = run(machine, 'a1', [signIn(0), { type: 'workAssigned', workItemId: 'c1', profile: 'chat', at: 1 }]);
    expect(chatting.presence.presenceId).toBe('busy-dnd');
    expect(machine.capacityOf(chatting.state).level).toBe('full');
  });
});
