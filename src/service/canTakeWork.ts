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
 * The index relies on two properties, and on no particular tolerance: refusing `units` refuses any more units
 * (with the same profile or none), and a request with a profile is refused whenever the same units without one
 * are. It does not assume an agent takes `units` exactly when its free units are at least `units`: the tolerance
 * for rounding is a fraction of each agent's own capacity, so an agent with a large capacity may take more than its
 * free units, more than an agent with a small one (see `RosterIndex`).
 *
 * @param machine - the machine whose profiles apply
 * @param state - the agent's state
 * @param request - the units asked for, and the capacity profile, if any
 * @returns true when the item fits
 */
export function canTakeWork(machine: PresenceMachine, state: PresenceState, request: WorkRequest): boolean {
  return machine.canTake(state, request);
}
