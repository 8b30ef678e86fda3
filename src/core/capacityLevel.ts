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
 * ```
 */
export function capacityLevel(
  work: readonly HeldWorkItem[],
  limits: { readonly capacity: number; readonly maxWorkItems: number | undefined },
): CapacityLevel {
  let used = 0;
  for (const item of work) used += item.units;
  if (used >= limits.capacity || (limits.maxWorkItems !== undefined && work.length >= limits.maxWorkItems)) return 'full';
  return used > 0 ? 'partial' : 'none';
}
