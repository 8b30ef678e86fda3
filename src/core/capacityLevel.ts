import type { HeldWorkItem } from './PresenceState';

/**
 * How much of an agent's capacity the held work uses: `full` (the `full` capacity presence, Do not disturb),
 * `partial` (anything held), `none` (nothing held). See {@link capacityLevel} for when each applies.
 *
 * @category Capacity
 * @example
 * ```ts
 * import type { CapacityLevel } from 'agent-presence';
 * const label: Record<CapacityLevel, string> = { none: 'free', partial: 'working', full: 'full' };
 * ```
 */
export type CapacityLevel = 'none' | 'partial' | 'full';

/**
 * A capacity profile as the machine uses it: at most `maxItems` items of this kind, and whether reaching that
 * limit blocks the agent (Do not disturb) on its own.
 *
 * @category Capacity
 * @example
 * ```ts
 * import { createPresenceMachine, type ResolvedCapacityProfile } from 'agent-presence';
 * const machine = createPresenceMachine({ defaultProfile: { capacityProfiles: { chat: { maxItems: 3 } } } });
 * const chat: ResolvedCapacityProfile | undefined = machine.profileOf('a1').capacityProfiles.get('chat');
 * console.log(chat); // { maxItems: 3, blocking: false }
 * ```
 */
export interface ResolvedCapacityProfile {
  readonly maxItems: number;
  readonly blocking: boolean;
}

/**
 * What an agent can hold: units of capacity, optionally a limit on the number of items, and optionally capacity
 * profiles by name (per kind of work).
 *
 * @category Capacity
 * @example
 * ```ts
 * import type { CapacityLimits } from 'agent-presence';
 * const limits: CapacityLimits = { capacity: 100, maxWorkItems: 3, capacityProfiles: new Map([['chat', { maxItems: 2, blocking: true }]]) };
 * ```
 */
export interface CapacityLimits {
  readonly capacity: number;
  /** `undefined`: no limit on the number of items. */
  readonly maxWorkItems: number | undefined;
  /** Capacity profiles by name; left out or empty: none. */
  readonly capacityProfiles?: ReadonlyMap<string, ResolvedCapacityProfile>;
}

/** Relative slack when comparing used units with the capacity, so that rounding error cannot hide a full agent. */
const UNIT_TOLERANCE = 1e-9;

/**
 * Whether `used` units reach `capacity`, within a billionth of it (fractional units add up with rounding error:
 * 0.7 + 0.2 + 0.1 < 1).
 *
 * @internal
 */
export const unitsReach = (used: number, capacity: number): boolean => used >= capacity - UNIT_TOLERANCE * Math.max(1, capacity);

/**
 * Whether `used` units go past `capacity` by more than a billionth of it.
 *
 * @internal
 */
export const unitsExceed = (used: number, capacity: number): boolean => used > capacity + UNIT_TOLERANCE * Math.max(1, capacity);

/**
 * The units the items hold together, added up in order (from `start`, default 0).
 *
 * @internal
 */
export const unitsUsed = (work: readonly HeldWorkItem[], start = 0): number => work.reduce((used, item) => used + item.units, start);

/**
 * How many of the held items belong to the capacity profile `name` (an item without a profile belongs to none).
 *
 * @internal
 */
export const heldOf = (work: readonly HeldWorkItem[], name: string): number => {
  let held = 0;
  for (const item of work) if (item.profile === name) held++;
  return held;
};

/**
 * The capacity level of the held work. `full` when any of: the units used reach the capacity (or exceed it,
 * after a forced assignment); the items reach `maxWorkItems`; with capacity profiles, a blocking profile is at its
 * `maxItems`, or, when every profile is non-blocking, all of them are. `partial` when anything is held (an item of
 * 0 units too); `none` otherwise.
 *
 * @param work - the items held
 * @param limits - the agent's capacity, item limit and capacity profiles
 * @returns the level that decides the automatic presence
 * @category Capacity
 * @example
 * ```ts
 * import { capacityLevel } from 'agent-presence';
 * const work = [{ workItemId: 'c1', units: 40, since: 0 }];
 * capacityLevel(work, { capacity: 100, maxWorkItems: undefined }); // 'partial'
 * capacityLevel(work, { capacity: 40, maxWorkItems: undefined });  // 'full'
 * capacityLevel(work, { capacity: 100, maxWorkItems: 1 });         // 'full'
 * const chats = new Map([['chat', { maxItems: 1, blocking: true }], ['case', { maxItems: 5, blocking: false }]]);
 * console.log(capacityLevel([{ workItemId: 'c2', units: 0, since: 0, profile: 'chat' }], { capacity: 100, maxWorkItems: undefined, capacityProfiles: chats })); // full
 * ```
 */
export function capacityLevel(work: readonly HeldWorkItem[], limits: CapacityLimits): CapacityLevel {
  return levelOf({ items: work.length, units: unitsUsed(work), held: (name) => heldOf(work, name) }, limits);
}

/**
 * What the capacity rules read of held work: how many items, the units they hold, and how many belong to each
 * capacity profile. A transition that passes many deadlines keeps one up to date instead of counting the items
 * again at each deadline.
 *
 * @internal
 */
export interface WorkCount {
  readonly items: number;
  readonly units: number;
  readonly held: (profile: string) => number;
}

/**
 * The capacity level of work counted as {@link WorkCount}: the rules of {@link capacityLevel}.
 *
 * @internal
 */
export function levelOf(count: WorkCount, limits: CapacityLimits): CapacityLevel {
  const held = count.items > 0;
  const profiles = limits.capacityProfiles;
  const full =
    unitsReach(count.units, limits.capacity) ||
    (held && (count.items >= (limits.maxWorkItems ?? Infinity) || (profiles !== undefined && profiles.size > 0 && profilesFull(count.held, [...profiles]))));
  return full ? 'full' : held ? 'partial' : 'none';
}

/**
 * Whether the capacity profiles make the agent full: a blocking one at its limit, or, with none blocking, all of
 * them at their limits.
 *
 * @internal
 */
export function profilesFull(held: (profile: string) => number, profiles: readonly (readonly [string, ResolvedCapacityProfile])[]): boolean {
  const atLimit = ([name, profile]: readonly [string, ResolvedCapacityProfile]) => held(name) >= profile.maxItems;
  const blocking = profiles.filter(([, profile]) => profile.blocking);
  return blocking.length > 0 ? blocking.some(atLimit) : profiles.every(atLimit);
}
