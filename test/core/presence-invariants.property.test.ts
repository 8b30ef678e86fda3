import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_STATUSES, createPresenceMachine, validateEvent } from '../../src/index';
import type { BaseStatus, PresenceEvent, PresenceMachine, PresenceState, Transition } from '../../src/index';
import { presenceModel } from '../../src/testing/index';
import { propertyRuns, propertyTimeout } from '../helpers/propertyRuns';
import { scenarioArb, type Scenario } from '../helpers/scenarioArb';

/**
 * Invariants over random configs and event sequences (late events and hostile input included). Agreement with
 * the reference model is checked here per scenario and, command by command, in
 * machine-agrees-with-reference-model.test.ts; the other properties below hold whatever the rules say.
 */

const RUNS = propertyRuns({ ci: 200, deep: 5_000, mutation: 30 });
const TIMEOUT = propertyTimeout(30_000);

const isSticky = (base: BaseStatus) => base === 'Away' || base === 'BusyDND' || base === 'Offline';

interface Step {
  readonly event: PresenceEvent;
  readonly before: PresenceState;
  readonly result: Transition;
}

/** Applies every event in order; `copy` is applied to each state before the next event (identity by default). */
function replay(
  machine: PresenceMachine,
  initial: PresenceState,
  events: readonly PresenceEvent[],
  copy: (state: PresenceState) => PresenceState = (state) => state,
): Transition[] {
  const results: Transition[] = [];
  let state = initial;
  for (const event of events) {
    const result = machine.transition(state, event);
    results.push(result);
    state = copy(result.state);
  }
  return results;
}

function walk(scenario: Scenario): { machine: PresenceMachine; steps: Step[] } {
  const machine = createPresenceMachine(scenario.config);
  const steps: Step[] = [];
  let state = machine.initialState(scenario.agentId, scenario.start);
  for (const event of scenario.events) {
    const result = machine.transition(state, event);
    steps.push({ event, before: state, result });
    state = result.state;
  }
  return { machine, steps };
}

/** Whether a deadline (an expiry, the end of a wrap-up or grace, going idle) came due before the event applied. */
const deadlineDue = (machine: PresenceMachine, before: PresenceState, event: PresenceEvent) =>
  validateEvent(event).length === 0 && (machine.nextDeadline(before) ?? Infinity) <= Math.max(event.at, before.lastAt);

const isWorkEvent = (event: PresenceEvent, result: Transition) =>
  result.rejection === undefined && (event.type === 'workAssigned' || event.type === 'workReleased');

describe('presence invariants over random configs and event sequences', () => {
  it(
    'agree with the reference model after every event: state, presence, changed, late, next deadline and refusal code',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          const model = presenceModel(scenario.config);
          for (const { event, before, result } of walk(scenario).steps) {
            const expected = model.transition(before, event);
            expect(result.rejection?.code, fc.stringify(event)).toBe(expected.rejection);
            expect(result.state).toStrictEqual(expected.state);
            expect(result.presence).toStrictEqual(expected.presence);
            expect([result.changed, result.late, result.nextDeadline]).toEqual([expected.changed, expected.late, expected.nextDeadline]);
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'keeps the base one of the five base statuses and equal to the base of the presence definition',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          const { machine, steps } = walk(scenario);
          for (const { result } of steps) {
            const definition = machine.presences.find((p) => p.id === result.state.presenceId);
            expect(BASE_STATUSES).toContain(result.state.base);
            expect(result.state.base).toBe(definition?.base);
            const { next } = result.state;
            const queued = next && machine.presences.find((p) => p.id === next.presenceId);
            expect(result.presence).toEqual({
              presenceId: result.state.presenceId,
              base: result.state.base,
              name: definition?.name,
              text: definition?.text,
              source: result.state.source,
              since: result.state.since,
              ...(next && { next: { presenceId: next.presenceId, base: next.base, name: queued?.name, text: queued?.text } }),
            });
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'is Offline when signed out (for its reason, every choice cleared), and signed in only by a choice or a rule, never by capacity',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          for (const {
            result: { state },
          } of walk(scenario).steps) {
            expect(state.signedIn).toBe(state.sessions.length > 0);
            if (!state.signedIn) {
              expect([state.presenceId, state.choice, state.next, state.idle]).toEqual(['offline', null, null, false]);
              expect(['signOut', 'expired', 'disconnected']).toContain(state.source);
            } else if (state.base === 'Offline') {
              expect(['manual', 'default', 'config', 'missed', 'rejected', 'idle', 'wrapUp']).toContain(state.source);
            }
            if (state.signedIn && state.choice?.base === 'Offline') expect(state.base).toBe('Offline');
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'never lets a work event change a sticky (Away, BusyDND or Offline) choice',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          const { machine, steps } = walk(scenario);
          for (const { event, before, result } of steps) {
            // A queued pick applies once nothing is held, and a deadline due first may sign the agent out: not here.
            if (!isWorkEvent(event, result) || before.choice === null || !isSticky(before.choice.base)) continue;
            if (before.next !== null || deadlineDue(machine, before, event)) continue;
            expect(result.state.choice).toEqual(before.choice);
            expect([result.state.presenceId, result.state.base, result.state.source]).toEqual([before.presenceId, before.base, before.source]);
            expect(result.changed).toBe(false);
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'returns the very same state, its presence and changed false for a refused event with no deadline due',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          const { machine, steps } = walk(scenario);
          for (const { event, before, result } of steps) {
            if (result.rejection === undefined) continue;
            // A malformed event applies nothing; another refused one applies the deadlines due first.
            if (result.rejection.code !== 'INVALID_EVENT' && deadlineDue(machine, before, event)) continue;
            expect(result.state).toBe(before);
            expect(result.changed).toBe(false);
            expect(result.presence).toEqual(machine.presenceOf(before));
            expect(result.late).toBeUndefined();
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'replays deterministically: the same events give deep-equal transitions, also from a copy of the config',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          const machine = createPresenceMachine(scenario.config);
          const initial = machine.initialState(scenario.agentId, scenario.start);
          const first = replay(machine, initial, scenario.events);
          expect(replay(machine, initial, scenario.events)).toEqual(first);
          const twin = createPresenceMachine(structuredClone(scenario.config));
          expect(replay(twin, twin.initialState(scenario.agentId, scenario.start), scenario.events)).toEqual(first);
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'behaves identically when every state is replaced by its JSON round-trip copy before the next event',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          const machine = createPresenceMachine(scenario.config);
          const initial = machine.initialState(scenario.agentId, scenario.start);
          const viaJson = (state: PresenceState): PresenceState => JSON.parse(JSON.stringify(state));
          expect(replay(machine, viaJson(initial), scenario.events, viaJson)).toEqual(replay(machine, initial, scenario.events));
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'never moves since or lastAt backwards, and applies a late event at the latest time with late set',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          for (const { event, before, result } of walk(scenario).steps) {
            expect(result.state.since).toBeGreaterThanOrEqual(before.since);
            expect(result.state.lastAt).toBeGreaterThanOrEqual(before.lastAt);
            expect(result.state.since).toBeLessThanOrEqual(result.state.lastAt);
            if (result.rejection !== undefined) continue;
            expect(result.state.lastAt).toBe(Math.max(before.lastAt, event.at));
            expect(result.late).toBe(event.at < before.lastAt ? before.lastAt - event.at : undefined);
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'reports changed exactly when the presence id differs, and moves since to the applied time (or a deadline passed on the way) only then',
    () => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          const { machine, steps } = walk(scenario);
          for (const { event, before, result } of steps) {
            const differs = result.state.presenceId !== before.presenceId;
            expect(result.changed).toBe(differs);
            if (!deadlineDue(machine, before, event)) expect(result.state.since).toBe(differs ? result.state.lastAt : before.since);
            else if (result.state.since !== before.since) {
              // Changed at a deadline passed on the way (each applied at its own time), or by the event itself.
              expect(result.state.since).toBeGreaterThanOrEqual(machine.nextDeadline(before) as number);
              expect(result.state.since).toBeLessThanOrEqual(result.state.lastAt);
            } else expect(differs).toBe(false);
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );
});
