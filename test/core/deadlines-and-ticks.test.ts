import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent, type PresenceState, type Transition } from '../../src/index';
import { assign, pick, run, signIn } from '../helpers/run';

const machine = createPresenceMachine({
  presences: [{ id: 'busy-wrap-up', name: 'Busy – Wrap up', base: 'Busy', selectable: false }],
  defaultProfile: {
    sessionTtlMs: 100_000,
    idleAfterMs: 150_000,
    wrapUpMs: 50_000,
    wrapUpPresenceId: 'busy-wrap-up',
    onMissed: 'inactive',
    onRejected: 'busy-dnd',
    capacity: 100,
  },
});

/** The state without `lastAt`, which a tick moves even when nothing else changes. */
const essence = ({ lastAt: _, ...rest }: PresenceState) => rest;

describe('deadlines', () => {
  it('are reported as the earliest of session expiry, idleness and wrap-up end', () => {
    const result = run(machine, 'a1', [signIn(0), assign('c1', 30, 1_000), { type: 'workReleased', workItemId: 'c1', wrapUpMs: 20_000, at: 2_000 }]);
    expect(result.nextDeadline).toBe(22_000); // wrap-up, before the session TTL (100 000) and idleness (150 000)
    expect(run(machine, result.state, [{ type: 'tick', at: 22_000 }]).nextDeadline).toBe(100_000);
  });

  it('that passed without a tick are applied, each at its own time, before the next event', () => {
    const start = run(machine, 'a1', [signIn(0), assign('c1', 30, 1_000), { type: 'workReleased', workItemId: 'c1', at: 2_000 }]).state;
    // No tick at 52 000 (wrap-up end) nor at 100 000 (expiry): the next event finds the agent signed out since 100 000.
    const late = run(machine, start, [assign('c2', 10, 120_000)]);
    expect(late.presence).toMatchObject({ presenceId: 'offline', source: 'expired', since: 100_000 });
    expect(late.state.work.map((w) => w.workItemId)).toEqual(['c2']);
  });

  it('are applied even when the event is refused; the refusal itself changes nothing else', () => {
    const state = run(machine, 'a1', [signIn(0), pick('available', 10)]).state;
    const refused = machine.transition(state, { type: 'heartbeat', sessionId: 'tab-9', at: 200_000 });
    expect(refused.rejection?.code).toBe('UNKNOWN_SESSION');
    expect(essence(refused.state)).toEqual(essence(run(machine, state, [{ type: 'tick', at: 200_000 }]).state));
    expect(refused.state).toMatchObject({ signedIn: false, source: 'expired', since: 100_000, lastAt: 100_000 });
    expect(refused.changed).toBe(true);
    const noneDue = machine.transition(state, { type: 'heartbeat', sessionId: 'tab-9', at: 50_000 });
    expect(noneDue.state).toBe(state);
    expect(noneDue.changed).toBe(false);
  });

  it('never move time back: a late event is applied at the latest time, after the deadlines due then', () => {
    const state = run(machine, 'a1', [signIn(0), assign('c1', 30, 1_000), { type: 'tick', at: 60_000 }]).state;
    const late = machine.transition(state, { type: 'workReleased', workItemId: 'c1', at: 30_000, wrapUpMs: 0 });
    expect(late.late).toBe(30_000);
    expect(late.state.lastAt).toBe(60_000);
    expect(late.presence).toMatchObject({ presenceId: 'available', since: 60_000 });
  });

  it('of an invalid event are not applied: it has no usable time', () => {
    const state = run(machine, 'a1', [signIn(0)]).state;
    const result = machine.transition(state, { type: 'tick', at: Number.NaN });
    expect(result.rejection?.code).toBe('INVALID_EVENT');
    expect(result.state).toBe(state);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties: ticks are an optimisation, never a requirement.
// ---------------------------------------------------------------------------------------------------------------

const session = fc.constantFrom('a', 'b');
const item = fc.constantFrom('w0', 'w1', 'w2');
const eventWithoutTime = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('signIn' as const), sessionId: session }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('signOut' as const), sessionId: session }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('heartbeat' as const), sessionId: session }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('disconnected' as const), sessionId: session }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('activity' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant('setPresence' as const),
        presenceId: fc.constantFrom('available', 'busy', 'away', 'busy-dnd', 'inactive'),
        when: fc.constantFrom('now' as const, 'afterWork' as const),
      },
      { requiredKeys: ['type', 'presenceId'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('resetPresence' as const) }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('workAssigned' as const), workItemId: item, units: fc.integer({ min: 0, max: 60 }) }) },
  {
    weight: 4,
    arbitrary: fc.record(
      { type: fc.constant('workReleased' as const), workItemId: item, wrapUpMs: fc.integer({ min: 0, max: 80_000 }) },
      { requiredKeys: ['type', 'workItemId'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('wrapUpEnded' as const), workItemId: item }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('workMissed' as const, 'workRejected' as const) }) },
);
/** Time-ordered events: each comes 0 to 200 s after the one before. */
const day = fc.array(fc.tuple(fc.integer({ min: 0, max: 200_000 }), eventWithoutTime), { maxLength: 40 }).map((steps) => {
  let at = 0;
  return steps.map(([gap, event]) => ({ ...event, at: (at += gap) }));
});

/** Runs the events, and when `tickAtDeadlines`, sends a tick at every deadline due before the next event. */
function replay(events: readonly PresenceEvent[], tickAtDeadlines: boolean, check?: (before: Transition, tick: Transition) => void): Transition {
  let last: Transition = { state: machine.initialState('agent'), presence: machine.presenceOf(machine.initialState('agent')), changed: false };
  for (const event of events) {
    while (tickAtDeadlines && last.nextDeadline !== undefined && last.nextDeadline <= event.at) {
      const ticked = machine.transition(last.state, { type: 'tick', at: last.nextDeadline });
      check?.(last, ticked);
      last = ticked;
    }
    last = machine.transition(last.state, event);
  }
  return last;
}

describe('machine.nextDeadline', () => {
  it('is undefined when nothing is pending: never signed in, or signed in with the default config', () => {
    const plain = createPresenceMachine({});
    expect(plain.nextDeadline(plain.initialState('a1'))).toBeUndefined();
    const signedIn = run(plain, 'a1', [signIn(0), assign('c1', 30, 1)]);
    expect(plain.nextDeadline(signedIn.state)).toBeUndefined();
    expect(signedIn.nextDeadline).toBeUndefined();
  });

  it('is the time of the earliest pending deadline, as the transition reports it', () => {
    const ttl = createPresenceMachine({ defaultProfile: { sessionTtlMs: 60_000 } });
    const signedIn = run(ttl, 'a1', [signIn(5)]);
    expect(ttl.nextDeadline(signedIn.state)).toBe(60_005);
    expect(signedIn.nextDeadline).toBe(60_005);
    const plain = createPresenceMachine({});
    const dropped = run(plain, 'a1', [signIn(0), { type: 'disconnected', at: 10 }]);
    expect(plain.nextDeadline(dropped.state)).toBe(10 + 150_000);
  });
});

describe('deadline properties', () => {
  it('give the same presence and state whether ticks come at every deadline or not at all', () => {
    fc.assert(
      fc.property(day, (events) => {
        const withTicks = replay(events, true);
        const without = replay(events, false);
        expect(without.presence).toEqual(withTicks.presence);
        expect(essence(without.state)).toEqual(essence(withTicks.state));
      }),
      { numRuns: 400 },
    );
  });

  it('are never in the past, and a tick at one changes the state while a tick just before changes nothing', () => {
    fc.assert(
      fc.property(day, (events) => {
        replay(events, true, (before, tick) => {
          const deadline = before.nextDeadline as number;
          expect(deadline).toBeGreaterThan(before.state.lastAt);
          expect(essence(tick.state)).not.toEqual(essence(before.state));
          if (deadline - 1 > before.state.lastAt) {
            const early = machine.transition(before.state, { type: 'tick', at: deadline - 1 });
            expect(essence(early.state)).toEqual(essence(before.state));
          }
          if (tick.nextDeadline !== undefined) expect(tick.nextDeadline).toBeGreaterThan(tick.state.lastAt);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('are not skipped: after any event, no deadline at or before its time is left pending', () => {
    fc.assert(
      fc.property(day, (events) => {
        let state = machine.initialState('agent');
        for (const event of events) {
          const result = machine.transition(state, event);
          if (result.nextDeadline !== undefined) expect(result.nextDeadline).toBeGreaterThan(result.state.lastAt);
          state = result.state;
        }
      }),
      { numRuns: 400 },
    );
  });
});
