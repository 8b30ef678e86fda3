import type { PresenceMachine, PresenceState } from '../core/index';

/**
 * The agent's free units: capacity minus the units held (negative after a forced assignment). The roster index
 * orders agents by it; whether they may take work is the machine's `canTake` alone (the core's `canTakeWork`).
 *
 * @param machine - the machine whose profiles apply
 * @param state - the agent's state
 * @returns capacity minus units held
 */
export function freeUnits(machine: PresenceMachine, state: PresenceState): number {
  let used = 0;
  for (const item of state.work) used += item.units;
  return machine.profileOf(state.agentId).capacity - used;
}
