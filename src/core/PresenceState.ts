import type { BaseStatus } from './BaseStatus';

/**
 * Why an agent's presence is what it is, so a supervisor can be told why someone is in Do not disturb:
 * `default` (applied at sign-in), `manual` (the agent picked it), `capacity` (calculated from the work held),
 * `signOut` (signed out, or never signed in).
 *
 * @category State
 * @example
 * ```ts
 * import type { PresenceSource } from 'agent-presence';
 * const explain: Record<PresenceSource, string> = {
 *   default: 'default presence at sign-in', manual: 'chosen by the agent',
 *   capacity: 'from capacity use', signOut: 'signed out',
 * };
 * ```
 */
export type PresenceSource = 'default' | 'manual' | 'capacity' | 'signOut';

/**
 * A work item the agent holds.
 *
 * @category State
 * @example
 * ```ts
 * import type { HeldWorkItem } from 'agent-presence';
 * const item: HeldWorkItem = { workItemId: 'chat-1', units: 40, since: 1_000 };
 * ```
 */
export interface HeldWorkItem {
  readonly workItemId: string;
  readonly units: number;
  /** When it was assigned (the event's applied time). */
  readonly since: number;
  /** The capacity profile it counts against, when the assignment named one. */
  readonly profile?: string;
}

/**
 * A presence that holds instead of the capacity presence: the agent's manual pick, or a sticky default applied at
 * sign-in. `base` is kept so the state explains itself even where the config changed since.
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
  readonly source: 'manual' | 'default';
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
  readonly signedIn: boolean;
  /** The resolved presence's id and base, as `presenceOf` gives them. */
  readonly presenceId: string;
  readonly base: BaseStatus;
  readonly source: PresenceSource;
  /** The applied time of the event that last changed `presenceId`. */
  readonly since: number;
  /** The manual pick or sticky default in force, if any. */
  readonly choice: PresenceChoice | null;
  /** Work items held, in the order they were assigned. */
  readonly work: readonly HeldWorkItem[];
  /** The latest event time applied; an event stamped earlier is applied at this time. */
  readonly lastAt: number;
}
