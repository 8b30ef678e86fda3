/**
 * What every event carries: when it happened and, optionally, an id for deduplication.
 *
 * @category Events
 * @example
 * ```ts
 * import type { EventBase } from 'agent-presence';
 * const stamp: EventBase = { at: Date.now(), eventId: 'evt-81f2' };
 * ```
 */
export interface EventBase {
  /** When it happened, epoch milliseconds. */
  readonly at: number;
  /**
   * An id the sender gives the event so a redelivery can be recognised (the service deduplicates by it); the
   * machine itself ignores it.
   */
  readonly eventId?: string;
}

/**
 * The agent signs in. The profile's default presence applies at each sign-in after a sign-out.
 *
 * @category Events
 * @example
 * ```ts
 * import type { SignInEvent } from 'agent-presence';
 * const event: SignInEvent = { type: 'signIn', at: Date.now() };
 * ```
 */
export interface SignInEvent extends EventBase {
  readonly type: 'signIn';
}

/**
 * The agent signs out: presence Offline, any manual choice cleared; held work stays held.
 *
 * @category Events
 * @example
 * ```ts
 * import type { SignOutEvent } from 'agent-presence';
 * const event: SignOutEvent = { type: 'signOut', at: Date.now() };
 * ```
 */
export interface SignOutEvent extends EventBase {
  readonly type: 'signOut';
}

/**
 * The agent picks a presence. Available and Busy ones hold until the next work event; Away, BusyDND and Offline
 * ones hold until the agent picks another or signs out.
 *
 * @category Events
 * @example
 * ```ts
 * import type { SetPresenceEvent } from 'agent-presence';
 * const event: SetPresenceEvent = { type: 'setPresence', presenceId: 'away-training', at: Date.now() };
 * ```
 */
export interface SetPresenceEvent extends EventBase {
  readonly type: 'setPresence';
  readonly presenceId: string;
}

/**
 * A work item (chat, call, case, lead) is assigned to the agent and holds `units` of capacity until released.
 * It may name a capacity profile of the agent (`profile`), against whose `maxItems` it then counts too; `units`
 * may be left out only then (default 0). Accepted beyond capacity or a profile's limit (forced assignment) and
 * while signed out (async work).
 *
 * @category Events
 * @example
 * ```ts
 * import type { WorkAssignedEvent } from 'agent-presence';
 * const chat: WorkAssignedEvent = { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: Date.now() };
 * const item: WorkAssignedEvent = { type: 'workAssigned', workItemId: 'case-9', profile: 'case', at: Date.now() };
 * ```
 */
export type WorkAssignedEvent = EventBase & {
  readonly type: 'workAssigned';
  readonly workItemId: string;
} & (
    | {
        /** Capacity units the item holds; 0 allowed. */
        readonly units: number;
        /** The capacity profile it counts against. */
        readonly profile?: string;
      }
    | { readonly units?: number; readonly profile: string }
  );

/**
 * A work item the agent holds is closed or transferred away; its units are free again.
 *
 * @category Events
 * @example
 * ```ts
 * import type { WorkReleasedEvent } from 'agent-presence';
 * const event: WorkReleasedEvent = { type: 'workReleased', workItemId: 'chat-1', at: Date.now() };
 * ```
 */
export interface WorkReleasedEvent extends EventBase {
  readonly type: 'workReleased';
  readonly workItemId: string;
}

/**
 * Every event the machine takes, discriminated on `type`. Each carries `at`, epoch milliseconds: the machine never
 * reads a clock.
 *
 * @category Events
 * @example
 * ```ts
 * import type { PresenceEvent } from 'agent-presence';
 * const day: PresenceEvent[] = [
 *   { type: 'signIn', at: 0 },
 *   { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 1_000 },
 *   { type: 'workReleased', workItemId: 'chat-1', at: 60_000 },
 *   { type: 'signOut', at: 120_000 },
 * ];
 * ```
 */
export type PresenceEvent = SignInEvent | SignOutEvent | SetPresenceEvent | WorkAssignedEvent | WorkReleasedEvent;

/**
 * The `type` of every {@link PresenceEvent}.
 *
 * @category Events
 * @example
 * ```ts
 * import { EVENT_TYPES } from 'agent-presence';
 * EVENT_TYPES.includes('signIn'); // true
 * ```
 */
export const EVENT_TYPES = ['signIn', 'signOut', 'setPresence', 'workAssigned', 'workReleased'] as const satisfies readonly PresenceEvent['type'][];
