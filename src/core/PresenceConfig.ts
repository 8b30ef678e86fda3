import type { PresenceInput } from './PresenceDefinition';

/**
 * A capacity profile: how many items of one kind of work (chats, cases, …) an agent may hold at once. Reaching
 * `maxItems` of a blocking profile makes the agent full (Do not disturb); when all of an agent's profiles are
 * non-blocking (the default), the agent is full only when every one of them is at its `maxItems`.
 *
 * @category Config
 * @example
 * ```ts
 * import type { CapacityProfile } from 'agent-presence';
 * const chat: CapacityProfile = { maxItems: 3, blocking: true };
 * const cases: CapacityProfile = { maxItems: 10 };
 * ```
 */
export interface CapacityProfile {
  /** The most items of this profile held at once: a whole number ≥ 1. */
  readonly maxItems: number;
  /** Whether reaching `maxItems` alone makes the agent full. Default false. */
  readonly blocking?: boolean | undefined;
}

/**
 * An agent's profile: default presence, which custom presences they may pick, and their capacity.
 *
 * Every field is optional. An agent's own profile is read field by field: a field the agent's profile leaves out
 * is taken from `defaultProfile`, and one both leave out takes the built-in default (standard `available`,
 * every active custom presence, capacity 100, no item limit).
 *
 * @category Config
 * @example
 * ```ts
 * import type { AgentProfile } from 'agent-presence';
 * const senior: AgentProfile = { defaultPresenceId: 'away', presenceIds: ['away-training'], capacity: 60, maxWorkItems: 3 };
 * ```
 */
export interface AgentProfile {
  /** Presence applied at each sign-in after a sign-out. */
  readonly defaultPresenceId?: string | undefined;
  /** Custom presences the agent may pick (the five selectable standard ones always). Left out: every active custom one. */
  readonly presenceIds?: readonly string[] | undefined;
  /** Capacity in units; each work item holds its units until released. */
  readonly capacity?: number | undefined;
  /** At most this many items at once; holding this many is full. Left out: no limit. */
  readonly maxWorkItems?: number | undefined;
  /**
   * At most this many items held at once, wrap-ups and forced assignments included: one more is refused with
   * `TOO_MANY_WORK_ITEMS`. A guard against runaway clients, not a routing rule. Default and upper bound 1000.
   */
  readonly maxHeldItems?: number;
  /** At most this many sessions at once: a sign-in of one more is refused with `TOO_MANY_SESSIONS`. Default and upper bound 64. */
  readonly maxSessions?: number;
  /**
   * Capacity profiles by name, beside the unit capacity: a work item naming one counts against it (and its units
   * against `capacity`). Left out: none. An agent's own map replaces the default profile's as a whole.
   */
  readonly capacityProfiles?: Readonly<Record<string, CapacityProfile>> | undefined;
  /** A session not heard from (sign-in or heartbeat) for this long expires, as a sign-out. Left out: never. */
  readonly sessionTtlMs?: number | undefined;
  /** After the last session disconnects, a sign-in within this long restores the presence. Default 150000 (2.5 min). */
  readonly reconnectGraceMs?: number | undefined;
  /** No activity for this long while the presence is calculated makes the agent idle. Left out: never. */
  readonly idleAfterMs?: number | undefined;
  /** The presence of an idle agent. Default `away`. */
  readonly idlePresenceId?: string | undefined;
  /** Wrap-up time after each release, unless the release gives its own. Default 0 (none). */
  readonly wrapUpMs?: number | undefined;
  /** The presence during wrap-up (e.g. a custom "Busy – Wrap up"). Left out: the capacity presence. */
  readonly wrapUpPresenceId?: string | undefined;
  /** The presence the system sets after a missed offer (e.g. `inactive`). Left out: none. */
  readonly onMissed?: string | undefined;
  /** The presence the system sets after a declined offer (e.g. `busy-dnd`). Left out: none. */
  readonly onRejected?: string | undefined;
}

/**
 * The presences applied automatically for each level of capacity use. Each slot may name a custom presence
 * whose base fits it: `none` an Available one, `partial` a Busy one, `full` a BusyDND one.
 *
 * @category Config
 * @example
 * ```ts
 * import type { CapacityPresences } from 'agent-presence';
 * const slots: CapacityPresences = { none: 'available', partial: 'busy', full: 'busy-dnd' }; // the defaults
 * ```
 */
export interface CapacityPresences {
  readonly none?: string | undefined;
  readonly partial?: string | undefined;
  readonly full?: string | undefined;
}

/**
 * Everything `createPresenceMachine` needs: the custom presence catalog, agent profiles and capacity presences.
 * Every field is optional; `{}` gives the six standard presences and capacity 100 for everyone.
 *
 * @category Config
 * @example
 * ```ts
 * import type { PresenceConfig } from 'agent-presence';
 * const config: PresenceConfig = {
 *   presences: [{ id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' }],
 *   defaultProfile: { capacity: 100 },
 *   agents: { 'agent-7': { defaultPresenceId: 'away', presenceIds: ['away-training'], capacity: 60, maxWorkItems: 3 } },
 * };
 * ```
 */
export interface PresenceConfig {
  readonly presences?: readonly PresenceInput[] | undefined;
  readonly defaultProfile?: AgentProfile | undefined;
  /** Profiles by agent id; agents not listed use `defaultProfile`. */
  readonly agents?: Readonly<Record<string, AgentProfile>> | undefined;
  readonly capacityPresences?: CapacityPresences | undefined;
}
