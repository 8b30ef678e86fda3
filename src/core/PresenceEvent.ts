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
  readonly eventId?: string | undefined;
}

/**
 * A session (a tab, a device; `"default"` when left out) signs in. The profile's default presence applies when the
 * first session signs in after a sign-out; another session signing in changes nothing but the session list. Within
 * the reconnect grace after a disconnect, sign-in restores the presence the agent had instead.
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
  readonly sessionId?: string | undefined;
}

/**
 * A session (`"default"` when left out) signs out. When it was the last one: presence Offline, any choice cleared;
 * held work stays held.
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
  readonly sessionId?: string | undefined;
}

/**
 * A session says it is still there. With `sessionTtlMs` set, a session not heard from (sign-in or heartbeat) for
 * that long expires. Refused (`UNKNOWN_SESSION`) for a session that is not signed in: sign in again.
 *
 * @category Events
 * @example
 * ```ts
 * import type { HeartbeatEvent } from 'agent-presence';
 * const event: HeartbeatEvent = { type: 'heartbeat', sessionId: 'tab-1', at: Date.now() };
 * ```
 */
export interface HeartbeatEvent extends EventBase {
  readonly type: 'heartbeat';
  readonly sessionId?: string | undefined;
}

/**
 * A session's connection dropped. When it was the last session: Offline at once (source `disconnected`), and a
 * sign-in within `reconnectGraceMs` restores the presence and choice the agent had.
 *
 * @category Events
 * @example
 * ```ts
 * import type { DisconnectedEvent } from 'agent-presence';
 * const event: DisconnectedEvent = { type: 'disconnected', sessionId: 'tab-1', at: Date.now() };
 * ```
 */
export interface DisconnectedEvent extends EventBase {
  readonly type: 'disconnected';
  readonly sessionId?: string | undefined;
}

/**
 * The agent did something (a key, the mouse, an answer sent): keeps them from going idle, and ends idleness.
 *
 * @category Events
 * @example
 * ```ts
 * import type { ActivityEvent } from 'agent-presence';
 * const event: ActivityEvent = { type: 'activity', at: Date.now() };
 * ```
 */
export interface ActivityEvent extends EventBase {
  readonly type: 'activity';
}

/**
 * Time passed: applies every deadline due by `at` (session expiry, reconnect grace end, idleness, wrap-up end) and
 * nothing else. Send it at a transition's `nextDeadline`; a host that never does loses nothing, since every event
 * applies the deadlines due before it first.
 *
 * @category Events
 * @example
 * ```ts
 * import type { TickEvent } from 'agent-presence';
 * const event: TickEvent = { type: 'tick', at: Date.now() };
 * ```
 */
export interface TickEvent extends EventBase {
  readonly type: 'tick';
}

/**
 * The agent picks a presence. Available and Busy ones hold until the next work event; Away, BusyDND and Offline
 * ones hold until the agent picks another or signs out. With `when: 'afterWork'` while work is held, the pick is
 * queued (the resolved presence shows it as `next`) and applies once the agent holds no work; a later pick
 * replaces it. System presences (`selectable: false`) are refused.
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
  /** `now` (the default) or `afterWork`. */
  readonly when?: 'now' | 'afterWork' | undefined;
}

/**
 * The agent clears their manual or system presence (and any queued one): presence is calculated again.
 *
 * @category Events
 * @example
 * ```ts
 * import type { ResetPresenceEvent } from 'agent-presence';
 * const event: ResetPresenceEvent = { type: 'resetPresence', at: Date.now() };
 * ```
 */
export interface ResetPresenceEvent extends EventBase {
  readonly type: 'resetPresence';
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
        readonly profile?: string | undefined;
      }
    | { readonly units?: number | undefined; readonly profile: string }
  );

/**
 * A work item the agent holds is closed or transferred away; its units are free again, or, with wrap-up time
 * (`wrapUpMs`, else the profile's), once the wrap-up ends (`wrapUpEnded` or the deadline).
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
  /** Wrap-up (after-work) time in milliseconds; 0 releases at once. Left out: the profile's `wrapUpMs`. */
  readonly wrapUpMs?: number | undefined;
}

/**
 * The agent finished wrapping up a released item early: its capacity is free now.
 *
 * @category Events
 * @example
 * ```ts
 * import type { WrapUpEndedEvent } from 'agent-presence';
 * const event: WrapUpEndedEvent = { type: 'wrapUpEnded', workItemId: 'chat-1', at: Date.now() };
 * ```
 */
export interface WrapUpEndedEvent extends EventBase {
  readonly type: 'wrapUpEnded';
  readonly workItemId: string;
}

/**
 * An offer timed out without an answer. With `onMissed` set in the profile, that presence is set by the system
 * (source `missed`) until the agent picks another or resets; otherwise nothing changes.
 *
 * @category Events
 * @example
 * ```ts
 * import type { WorkMissedEvent } from 'agent-presence';
 * const event: WorkMissedEvent = { type: 'workMissed', workItemId: 'chat-7', at: Date.now() };
 * ```
 */
export interface WorkMissedEvent extends EventBase {
  readonly type: 'workMissed';
  readonly workItemId?: string | undefined;
}

/**
 * The agent declined an offer. With `onRejected` set in the profile, that presence is set by the system (source
 * `rejected`) until the agent picks another or resets; otherwise nothing changes.
 *
 * @category Events
 * @example
 * ```ts
 * import type { WorkRejectedEvent } from 'agent-presence';
 * const event: WorkRejectedEvent = { type: 'workRejected', workItemId: 'chat-7', at: Date.now() };
 * ```
 */
export interface WorkRejectedEvent extends EventBase {
  readonly type: 'workRejected';
  readonly workItemId?: string | undefined;
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
export type PresenceEvent =
  | SignInEvent
  | SignOutEvent
  | HeartbeatEvent
  | DisconnectedEvent
  | ActivityEvent
  | TickEvent
  | SetPresenceEvent
  | ResetPresenceEvent
  | WorkAssignedEvent
  | WorkReleasedEvent
  | WrapUpEndedEvent
  | WorkMissedEvent
  | WorkRejectedEvent;
