import type { PresenceEvent, PresenceMachine, PresenceState, Transition } from '../../src/index';

/** Event builders, so a test reads as the agent's day. */
export const signIn = (at: number): PresenceEvent => ({ type: 'signIn', at });
export const signOut = (at: number): PresenceEvent => ({ type: 'signOut', at });
export const pick = (presenceId: string, at: number): PresenceEvent => ({ type: 'setPresence', presenceId, at });
export const assign = (workItemId: string, units: number, at: number): PresenceEvent => ({
  type: 'workAssigned',
  workItemId,
  units,
  at,
});
export const release = (workItemId: string, at: number): PresenceEvent => ({ type: 'workReleased', workItemId, at });

/**
 * Applies events in order, from a fresh state of `agentId` or from a given state, and returns the last transition.
 * Fails the test when any event is refused, so a refusal never passes silently as "nothing changed".
 */
export function run(machine: PresenceMachine, from: string | PresenceState, events: readonly PresenceEvent[]): Transition {
  const start = typeof from === 'string' ? machine.initialState(from) : from;
  let last: Transition = { state: start, presence: machine.presenceOf(start), changed: false };
  for (const event of events) {
    last = machine.transition(last.state, event);
    if (last.rejection !== undefined) {
      throw new Error(`event ${JSON.stringify(event)} was refused: ${last.rejection.code} ${last.rejection.message}`);
    }
  }
  return last;
}

/** Like {@link run}, but returns every transition, one per event. */
export function runAll(machine: PresenceMachine, from: string | PresenceState, events: readonly PresenceEvent[]): Transition[] {
  const results: Transition[] = [];
  let state = typeof from === 'string' ? machine.initialState(from) : from;
  for (const event of events) {
    const result = run(machine, state, [event]);
    results.push(result);
    state = result.state;
  }
  return results;
}
