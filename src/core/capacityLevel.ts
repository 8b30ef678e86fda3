import type { HeldWorkItem } from './PresenceState';

/**
 * How much of an agent's capacity the held work uses: `full` when the units used reach the capacity (or exceed it,
 * after a forced assignment) or the items reach `maxWorkItems`; `partial` when any units are used; `none` otherwise.
 *
 * @category State
 * @example
 * ```ts
 * import type { CapacityLevel } from 'agent-presence';
 * const label: Record<CapacityLevel, string> = { none: 'free', partial: 'working', full: 'full' };
 * ```
 */
export type CapacityLevel = 'none' | 'partial' | 'full';

/** Relative slack when comparing used units with the capacity, so that rounding error cannot hide a full agent. */
const UNIT_TOLERANCE = 1e-9;

/**
 * The capacity level of the held work against a capacity and an optional item limit.
 *
 * @param work - the items held
 * @param limits - the agent's `capacity` in units and `maxWorkItems` (undefined: no item limit)
 * @returns the level that decides the automatic presence
 * @category State
 * @example
 * ```ts
 * import { capacityLevel } from 'agent-presence';
 * const work = [{ workItemId: 'c1', units: 40, since: 0 }];
 * capacityLevel(work, { capacity: 100, maxWorkItems: undefined }); // 'partial'
 * capacityLevel(work, { capacity: 40, maxWorkItems: undefined });  // 'full'
 * capacityLevel(work, { capacity: 100, maxWorkItems: 1 });         // 'full'
 * capacityLevel([0.7, 0.2, 0.1].map((units, i) => ({ workItemId: `c${i}`, units, since: 0 })), { capacity: 1, maxWorkItems: undefined }); // 'full'
 * ```
 */
export function capacityLevel(
  work: readonly HeldWorkItem[],
  limits: { readonly capacity: number; readonly maxWorkItems: number | undefined },
): CapacityLevel {
  let used = 0;
  for (const item of work) used += item.units;
  // Fractional units add up with rounding error (0.7 + 0.2 + 0.1 < 1): within a billionth of the capacity is full.
  const reached = used >= limits.capacity - UNIT_TOLERANCE * Math.max(1, limits.capacity);
  if (reached || (limits.maxWorkItems !== undefined && work.length >= limits.maxWorkItems)) return 'full';
  return used > 0 ? 'partial' : 'none';
}
