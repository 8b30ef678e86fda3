import { capacityLevel, heldOf, unitsExceed, unitsUsed, type CapacityLevel, type CapacityLimits } from './capacityLevel';
import type { HeldWorkItem } from './PresenceState';

/**
 * The use of one capacity profile: items held, the limit, what is left (negative after a forced assignment past
 * the limit) and whether reaching the limit blocks the agent.
 *
 * @category Capacity
 * @example
 * ```ts
 * import type { CapacityProfileUse } from 'agent-presence';
 * const chat: CapacityProfileUse = { held: 2, max: 3, free: 1, blocking: true };
 * ```
 */
export interface CapacityProfileUse {
  readonly held: number;
  readonly max: number;
  readonly free: number;
  readonly blocking: boolean;
}

/**
 * An agent's capacity use at a glance, for a supervisor board or a routing decision.
 *
 * @category Capacity
 * @example
 * ```ts
 * import { createPresenceMachine, type CapacityReport } from 'agent-presence';
 * const machine = createPresenceMachine({ defaultProfile: { capacity: 100, capacityProfiles: { chat: { maxItems: 3 } } } });
 * let state = machine.transition(machine.initialState('a1'), { type: 'signIn', at: 0 }).state;
 * state = machine.transition(state, { type: 'workAssigned', workItemId: 'c1', units: 30, profile: 'chat', at: 1 }).state;
 * const report: CapacityReport = machine.capacityOf(state);
 * console.log(report.level, report.units, report.profiles.chat); // partial { used: 30, capacity: 100, free: 70 } { held: 1, max: 3, free: 2, blocking: false }
 * ```
 */
export interface CapacityReport {
  readonly level: CapacityLevel;
  /** Units used and left of the capacity; `free` is negative after a forced assignment past the capacity. */
  readonly units: { readonly used: number; readonly capacity: number; readonly free: number };
  /** Items held and the item limit (`null`: no limit). */
  readonly items: { readonly held: number; readonly max: number | null };
  /** Use of each of the agent's capacity profiles, by name. */
  readonly profiles: Readonly<Record<string, CapacityProfileUse>>;
}

/**
 * One more item an agent might take: its units (default 0) and its capacity profile, if any.
 *
 * @category Capacity
 * @example
 * ```ts
 * import type { WorkRequest } from 'agent-presence';
 * const chat: WorkRequest = { units: 10, profile: 'chat' };
 * ```
 */
export interface WorkRequest {
  readonly units?: number | undefined;
  readonly profile?: string | undefined;
}

/**
 * Measures held work against an agent's limits.
 *
 * @param work - the items held
 * @param limits - capacity, item limit and capacity profiles (a {@link ResolvedProfile} will do)
 * @returns the level, units, items and per-profile use
 * @category Capacity
 * @example
 * ```ts
 * import { measureCapacity } from 'agent-presence';
 * const report = measureCapacity([{ workItemId: 'c1', units: 40, since: 0 }], { capacity: 100, maxWorkItems: 2 });
 * console.log(report.units.free, report.items); // 60 { held: 1, max: 2 }
 * ```
 */
export function measureCapacity(work: readonly HeldWorkItem[], limits: CapacityLimits): CapacityReport {
  const used = unitsUsed(work);
  const profiles = [...(limits.capacityProfiles ?? [])].map(([name, profile]) => {
    const held = heldOf(work, name);
    return [name, { held, max: profile.maxItems, free: profile.maxItems - held, blocking: profile.blocking }] as const;
  });
  return {
    level: capacityLevel(work, limits),
    units: { used, capacity: limits.capacity, free: limits.capacity - used },
    items: { held: work.length, max: limits.maxWorkItems ?? null },
    // fromEntries defines own properties, so a profile named "__proto__" is a key like any other.
    profiles: Object.fromEntries(profiles),
  };
}

/**
 * Whether one more item fits without going past any limit: the agent is not full, the units fit in what is left,
 * one more item stays within `maxWorkItems`, and, for a profile, within its `maxItems`. An unknown profile never
 * fits. Capacity only: whether the presence lets routing offer work is the caller's question.
 *
 * @param work - the items held
 * @param limits - capacity, item limit and capacity profiles (a {@link ResolvedProfile} will do)
 * @param request - the item's units and profile
 * @returns true when the item fits
 * @category Capacity
 * @example
 * ```ts
 * import { canTakeWork } from 'agent-presence';
 * const work = [{ workItemId: 'c1', units: 60, since: 0 }];
 * console.log(canTakeWork(work, { capacity: 100, maxWorkItems: undefined }, { units: 40 })); // true
 * console.log(canTakeWork(work, { capacity: 100, maxWorkItems: undefined }, { units: 41 })); // false
 * ```
 */
export function canTakeWork(work: readonly HeldWorkItem[], limits: CapacityLimits, request: WorkRequest): boolean {
  const { profile: name } = request;
  const profile = name === undefined ? undefined : limits.capacityProfiles?.get(name);
  // Not full means fewer items than maxWorkItems, so one more still fits: no item check of its own.
  return (
    (name === undefined || (profile !== undefined && heldOf(work, name) + 1 <= profile.maxItems)) &&
    capacityLevel(work, limits) !== 'full' &&
    !unitsExceed(unitsUsed(work, request.units), limits.capacity)
  );
}
