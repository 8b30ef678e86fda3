import { capacityLevel, type PresenceMachine, type PresenceState } from '../core/index';

/**
 * What a routing question asks of one agent's capacity: room for `units`, and (once the core has capacity
 * profiles) a free slot of `profile`.
 */
export interface WorkRequest {
  readonly units: number;
  readonly profile?: string;
}

/** Relative slack when comparing units with the capacity, as the core's `capacityLevel` allows. */
const UNIT_TOLERANCE = 1e-9;

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
 * Whether the agent's capacity lets them take a work item now: not full, fewer items than `maxWorkItems`, and
 * at least `units` free. The one capacity check of routing in the service: the roster index and `findAvailable`
 * ask only this. Presence (base status, presence id) is the query's business, not this function's.
 *
 * The index relies on one property: for an agent this accepts with `{ units: 0 }`, it accepts `units` exactly
 * when the free units are at least `units` (so an agent ordered by free units can stop a scan).
 *
 * @param machine - the machine whose profiles apply
 * @param state - the agent's state
 * @param request - the units asked for, and the capacity profile (not yet checked: the core has none today)
 * @returns true when the item fits
 */
export function canTakeWork(machine: PresenceMachine, state: PresenceState, request: WorkRequest): boolean {
  // lead: switch to machine.canTake(state, { units, profile }) at merge
  const profile = machine.profileOf(state.agentId);
  if (capacityLevel(state.work, profile) === 'full') return false;
  if (profile.maxWorkItems !== undefined && state.work.length >= profile.maxWorkItems) return false;
  const free = freeUnits(machine, state);
  return request.units <= free + UNIT_TOLERANCE * Math.max(1, profile.capacity);
}
