/**
 * The five base statuses that routing understands, in a fixed order.
 *
 * Presence text is what people see; routing decides on the base status alone.
 *
 * @category Presences
 * @example
 * ```ts
 * import { BASE_STATUSES } from 'agent-presence';
 * console.log(BASE_STATUSES.join(', ')); // Available, Busy, BusyDND, Away, Offline
 * ```
 */
export const BASE_STATUSES = ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'] as const;

/**
 * One of the {@link BASE_STATUSES}.
 *
 * @category Presences
 * @example
 * ```ts
 * import type { BaseStatus } from 'agent-presence';
 * const routable: BaseStatus[] = ['Available', 'Busy'];
 * ```
 */
export type BaseStatus = (typeof BASE_STATUSES)[number];

/**
 * Whether a value is one of the {@link BASE_STATUSES}.
 *
 * @param value - anything
 * @returns true when `value` is a base status
 * @category Presences
 * @example
 * ```ts
 * import { isBaseStatus } from 'agent-presence';
 * isBaseStatus('Away'); // true
 * isBaseStatus('away'); // false: base statuses are case-sensitive
 * ```
 */
export function isBaseStatus(value: unknown): value is BaseStatus {
  return (BASE_STATUSES as readonly unknown[]).includes(value);
}

/**
 * Whether a manual choice of a presence with this base is sticky: Away, BusyDND and Offline hold until the agent
 * picks another presence or signs out; Available and Busy hold only until the next work event.
 *
 * @internal
 */
export function isStickyBase(base: BaseStatus): boolean {
  return base === 'Away' || base === 'BusyDND' || base === 'Offline';
}
