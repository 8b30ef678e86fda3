import type { BaseStatus } from './BaseStatus';

/**
 * Why an agent's presence is what it is, so a supervisor can be told why someone is in Do not disturb:
 *
 * - `default`: the profile's default, applied at sign-in; `manual`: the agent picked it;
 * - `capacity`: calculated from the work held; `wrapUp`: the wrap-up presence after a release; `idle`: no activity;
 * - `missed` / `rejected`: set by the system after an offer timed out or was declined;
 * - `config`: the presence in force was removed or deactivated, so its base's standard presence replaced it;
 * - `signOut`, `expired` (no heartbeat in time), `disconnected` (the connection dropped): why an agent is offline.
 *
 * @category State
 * @example
 * ```ts
 * import type { PresenceSource } from 'agent-presence';
 * const offline: PresenceSource[] = ['signOut', 'expired', 'disconnected'];
 * ```
 */
export type PresenceSource = (typeof PRESENCE_SOURCES)[number];

/**
 * Every {@link PresenceSource}, for code that checks or lists them at run time.
 *
 * @category State
 * @example
 * ```ts
 * import { PRESENCE_SOURCES } from 'agent-presence';
 * console.log(PRESENCE_SOURCES.includes('idle')); // true
 * ```
 */
export const PRESENCE_SOURCES = [
  'default',
  'manual',
  'capacity',
  'wrapUp',
  'idle',
  'missed',
  'rejected',
  'config',
  'signOut',
  'expired',
  'disconnected',
] as const;

/**
 * A work item the agent holds.
 *
 * @category State
 * @example
 * ```ts
 * import type { HeldWorkItem } from 'agent-presence';
 * const item: HeldWorkItem = { workItemId: 'chat-1', units: 40, since: 1_000 };
 * const wrapping: HeldWorkItem = { workItemId: 'chat-2', units: 40, since: 1_000, wrapUpUntil: 90_000 };
 * ```
 */
export interface HeldWorkItem {
  readonly workItemId: string;
  readonly units: number;
  /** When it was assigned (the event's applied time). */
  readonly since: number;
  /** The capacity profile it counts against, when the assignment named one. */
  readonly profile?: string;
  /** Set once released with wrap-up time: the item holds its capacity until then (or `wrapUpEnded`). */
  readonly wrapUpUntil?: number;
}

/**
 * A presence in force instead of the calculated one: the agent's manual pick, a sticky default applied at
 * sign-in, a system presence (`missed`, `rejected`) or a `config` fallback. `base` is kept so the state explains
 * itself even where the config changed since.
 *
 * @category State
 * @example
 * ```ts
 * import type { PresenceChoice } from 'agent-presence';
 * const choice: PresenceChoice = { presenceId: 'away-training', base: 'Away', source: 'manual' };
 * ```
 */
export interface PresenceChoice {
  readonly presenceId: string;
  readonly base: BaseStatus;
  readonly source: 'manual' | 'default' | 'missed' | 'rejected' | 'config';
}

/**
 * One signed-in session (a browser tab, a device) and when it was last heard from (sign-in or heartbeat).
 *
 * @category State
 * @example
 * ```ts
 * import type { AgentSession } from 'agent-presence';
 * const tab: AgentSession = { sessionId: 'tab-1', lastSeen: 1_000 };
 * ```
 */
export interface AgentSession {
  readonly sessionId: string;
  readonly lastSeen: number;
}

/**
 * One agent's presence state: plain JSON, so it can be stored, sent and restored as it is
 * (`JSON.parse(JSON.stringify(state))` behaves identically). Treat it as read-only and let the machine make the
 * next one.
 *
 * @category State
 * @example
 * ```ts
 * import { createPresenceMachine, type PresenceState } from 'agent-presence';
 * const machine = createPresenceMachine({});
 * const state: PresenceState = machine.initialState('agent-7');
 * const stored = JSON.stringify(state);
 * const restored: PresenceState = JSON.parse(stored);
 * ```
 */
export interface PresenceState {
  readonly agentId: string;
  /** True while any session is signed in. */
  readonly signedIn: boolean;
  /** The signed-in sessions, in the order they signed in. */
  readonly sessions: readonly AgentSession[];
  /** The resolved presence's id and base, as `presenceOf` gives them. */
  readonly presenceId: string;
  readonly base: BaseStatus;
  readonly source: PresenceSource;
  /** The applied time of the event (or deadline) that last changed `presenceId`. */
  readonly since: number;
  /** The manual pick, sticky default or system presence in force, if any. */
  readonly choice: PresenceChoice | null;
  /** A presence picked with `when: 'afterWork'`, applied once the agent holds no work. */
  readonly next: PresenceChoice | null;
  /** Work items held, in the order they were assigned (released ones in wrap-up included). */
  readonly work: readonly HeldWorkItem[];
  /** When the agent last acted (sign-in, a pick, `activity`); idleness counts from here. */
  readonly lastActivity: number;
  /** True once no activity came for `idleAfterMs`. */
  readonly idle: boolean;
  /** After the last session disconnected: until when a sign-in restores `choice` (null: restore to calculated). */
  readonly reconnect: { readonly until: number; readonly choice: PresenceChoice | null } | null;
  /** The latest event time applied; an event stamped earlier is applied at this time. */
  readonly lastAt: number;
}
