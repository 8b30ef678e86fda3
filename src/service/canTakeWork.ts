import type { PresenceMachine, PresenceState } from '../core/index';

/**
 * What a routing question asks of one agent's capacity: room for `units`, and a free slot of `profile`.
 */
export interface WorkRequest {
  readonly units: number;
  readonly profile?: string;
}

/**
 * The agent's free units: capacity minus the units held (negative after a forced assignment). The roster index
 * orders agents by it; whether they may take work is `canTakeWork`'s alone.
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

/**
 * Whether the agent's capacity lets them take a work item now: the machine's `canTake` (not full, the units fit,
 * one more item within `maxWorkItems` and within the capacity profile's `maxItems`). The one capacity check of
 * routing in the service: the roster index and `findAvailable` ask only this. Presence (base status, presence id)
 * is the query's business, not this function's.
 *
 * The index relies on one property: for an agent this accepts with `{ units: 0 }`, it accepts `units` (without a
 * profile) exactly when the free units are at least `units` (so an agent ordered by free units can stop a scan).
 *
 * @param machine - the machine whose profiles apply
 * @param state - the agent's state
 * @param request - the units asked for, and the capacity profile, if any
 * @returns true when the item fits
 */
export function canTakeWork(machine: PresenceMachine, state: PresenceState, request: WorkRequest): boolean {
  return machine.canTake(state, request);
}
