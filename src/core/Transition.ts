import type { BaseStatus } from './BaseStatus';
import type { PresenceSource, PresenceState } from './PresenceState';

/**
 * Why an event was refused. The codes are stable; the messages are for people.
 *
 * - `INVALID_EVENT`: not an event (unknown `type`, a missing or malformed field, negative or non-finite units or `at`)
 * - `NOT_SIGNED_IN`: `setPresence` while signed out
 * - `UNKNOWN_PRESENCE`, `PRESENCE_INACTIVE`, `PRESENCE_NOT_ALLOWED`: `setPresence` of a presence that does not
 *   exist, is deactivated, or is not in the agent's profile (checked in that order)
 * - `DUPLICATE_WORK_ITEM`: `workAssigned` of an item the agent already holds
 * - `UNKNOWN_WORK_ITEM`: `workReleased` of an item the agent does not hold
 * - `UNKNOWN_CAPACITY_PROFILE`: `workAssigned` naming a capacity profile the agent does not have
 * - `PRESENCE_NOT_SELECTABLE`: `setPresence` of a system presence, which only rules set
 * - `UNKNOWN_SESSION`: `heartbeat` of a session that is not signed in (sign in again), or `signOut` naming no
 *   signed-in session while the agent has some (name the session, as its `signIn` did)
 * - `TOO_MANY_SESSIONS`: `signIn` of one more session than the profile's `maxSessions` (default 64)
 * - `TOO_MANY_WORK_ITEMS`: `workAssigned` of one more item than the profile's `maxHeldItems` (default 1000)
 * - `EVENT_IN_FUTURE`: set by the service (`agent-presence/service`), never by the machine: the event's `at` is
 *   further ahead of the service's clock than `maxClockSkewMs`; nothing was applied, deadlines included
 * - `WORK_ITEM_TAKEN`: set by the service, never by the machine, over a store that claims work items (the memory and
 *   Redis stores do): `workAssigned` of an item another agent holds; nothing was applied or stored
 *
 * @category Transitions
 * @example
 * ```ts
 * import type { RejectionCode } from 'agent-presence';
 * const retryable = (code: RejectionCode) => code === 'NOT_SIGNED_IN';
 * ```
 */
export type RejectionCode =
  | 'INVALID_EVENT'
  | 'NOT_SIGNED_IN'
  | 'UNKNOWN_PRESENCE'
  | 'PRESENCE_INACTIVE'
  | 'PRESENCE_NOT_ALLOWED'
  | 'DUPLICATE_WORK_ITEM'
  | 'UNKNOWN_WORK_ITEM'
  | 'UNKNOWN_CAPACITY_PROFILE'
  | 'PRESENCE_NOT_SELECTABLE'
  | 'UNKNOWN_SESSION'
  | 'TOO_MANY_SESSIONS'
  | 'TOO_MANY_WORK_ITEMS'
  | 'EVENT_IN_FUTURE'
  | 'WORK_ITEM_TAKEN';

/**
 * A refused event: a stable code and a message that names the agent, the value and why.
 *
 * @category Transitions
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * const machine = createPresenceMachine({});
 * const r = machine.transition(machine.initialState('a1'), { type: 'setPresence', presenceId: 'busy', at: 1 });
 * console.log(r.rejection?.code); // NOT_SIGNED_IN
 * ```
 */
export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
}

/**
 * A presence as people and routing see it: the presence, its base status and text, why it holds and since when.
 *
 * @category Transitions
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * const machine = createPresenceMachine({});
 * const { presence } = machine.transition(machine.initialState('a1'), { type: 'signIn', at: 1_000 });
 * console.log(`${presence.text} (${presence.base}) since ${presence.since}, by ${presence.source}`);
 * // Available (Available) since 1000, by capacity
 * ```
 */
export interface ResolvedPresence {
  readonly presenceId: string;
  readonly base: BaseStatus;
  readonly name: string;
  readonly text: string;
  readonly source: PresenceSource;
  readonly since: number;
  /** A presence picked with `when: 'afterWork'`, waiting for the agent to hold no work. */
  readonly next?: { readonly presenceId: string; readonly base: BaseStatus; readonly name: string; readonly text: string };
}

/**
 * What `transition` returns. A refused event has `rejection` and the state it was given, after any deadline that
 * was due before its time (the very object given when none was); `changed` compares with the given state.
 *
 * @category Transitions
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * const machine = createPresenceMachine({});
 * let state = machine.initialState('a1');
 * const r = machine.transition(state, { type: 'signIn', at: 1_000 });
 * if (r.rejection) console.warn(r.rejection.message);
 * else state = r.state;
 * ```
 */
export interface Transition {
  readonly state: PresenceState;
  readonly presence: ResolvedPresence;
  /** True only when the presence id differs from the given state's. */
  readonly changed: boolean;
  readonly rejection?: Rejection;
  /**
   * Set when the event was stamped earlier than the latest time the state had applied: how many milliseconds
   * behind it was. Such an event is applied at the state's latest time, so time never runs backwards.
   */
  readonly late?: number;
  /**
   * The earliest time at which a `tick` event would change the state (a session expiring, a grace period or
   * wrap-up ending, idleness): keep one timer per agent at this time and send `tick` then. Absent when nothing is
   * pending.
   */
  readonly nextDeadline?: number;
}
