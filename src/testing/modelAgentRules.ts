import type { BaseStatus, PresenceConfig } from '../core/index';

/**
 * A presence as the reference model sees it. Written out here, apart from the core, so the model and the machine
 * can disagree (a model that reads the core's tables would repeat the core's mistakes).
 *
 * @internal
 */
export interface ModelPresence {
  readonly id: string;
  readonly name: string;
  readonly text: string;
  readonly base: BaseStatus;
  readonly active: boolean;
  /** False for a system presence, set only by rules (a missed offer, idleness), never picked. */
  readonly selectable: boolean;
  readonly standard: boolean;
}

/**
 * The standard presences, from the spec: one per base status, always active and selectable by everyone, and the
 * system presence `inactive` (base Away), which only rules set.
 */
const STANDARD: readonly ModelPresence[] = [
  { id: 'available', name: 'Available', text: 'Available', base: 'Available', active: true, selectable: true, standard: true },
  { id: 'busy', name: 'Busy', text: 'Busy', base: 'Busy', active: true, selectable: true, standard: true },
  { id: 'busy-dnd', name: 'Busy DND', text: 'Do not disturb', base: 'BusyDND', active: true, selectable: true, standard: true },
  { id: 'away', name: 'Away', text: 'Appear away', base: 'Away', active: true, selectable: true, standard: true },
  { id: 'offline', name: 'Offline', text: 'Offline', base: 'Offline', active: true, selectable: true, standard: true },
  { id: 'inactive', name: 'Inactive', text: 'Inactive', base: 'Away', active: true, selectable: false, standard: true },
];

/** A capacity profile as the model reads it: `blocking` is false unless the config says true. */
export interface ModelCapacityProfile {
  readonly maxItems: number;
  readonly blocking: boolean;
}

/**
 * What the config says about one agent, read the plain way: the agent's own profile field, else the default
 * profile's, else the built-in default.
 *
 * @internal
 */
export interface ModelAgentRules {
  readonly agentId: string;
  /** A presence of the catalog (standard or custom, inactive and system ones included), or undefined. */
  presence(id: string): ModelPresence | undefined;
  /** The selectable standard presence of a base status (for Away: `away`, not the system presence `inactive`). */
  standardOf(base: BaseStatus): ModelPresence;
  /** Every presence of the catalog: the standard ones, then the custom ones in config order. */
  readonly catalog: readonly ModelPresence[];
  readonly defaultPresenceId: string;
  /** The custom presences the agent may pick; `undefined`: every active one. */
  readonly presenceIds: readonly string[] | undefined;
  readonly capacity: number;
  readonly maxWorkItems: number | undefined;
  /** The most items held at once, wrap-ups included (default 1,000); one more is refused. */
  readonly maxHeldItems: number;
  /** The most sessions at once (default 64); a sign-in of one more is refused. */
  readonly maxSessions: number;
  /** The agent's capacity profiles by name (the agent's own map replaces the default profile's as a whole). */
  readonly capacityProfiles: ReadonlyMap<string, ModelCapacityProfile>;
  /** How long a session lives without a sign-in or heartbeat; undefined: forever. */
  readonly sessionTtlMs: number | undefined;
  /** How long a dropped agent's choice is kept for a sign-in (default 150,000 ms). */
  readonly reconnectGraceMs: number;
  /** How long without activity before the agent goes idle; undefined: never. */
  readonly idleAfterMs: number | undefined;
  readonly idlePresenceId: string;
  /** Wrap-up of a release that does not say its own (default 0: none). */
  readonly wrapUpMs: number;
  readonly wrapUpPresenceId: string | undefined;
  readonly onMissed: string | undefined;
  readonly onRejected: string | undefined;
  /** The presence shown at each capacity level. */
  readonly capacityPresenceIds: { readonly none: string; readonly partial: string; readonly full: string };
  /** Whether the agent may pick this presence (while signed in): it exists, is active, selectable, and standard or allowed. */
  mayPick(id: string): boolean;
}

/**
 * Reads the rules of one agent from a config `createPresenceMachine` accepts (the model does not check configs).
 *
 * @internal
 */
export function modelAgentRules(config: PresenceConfig, agentId: string): ModelAgentRules {
  const custom: ModelPresence[] = (config.presences ?? []).map((p) => ({
    id: p.id,
    name: p.name,
    text: p.text ?? p.name,
    base: p.base,
    active: p.active ?? true,
    selectable: p.selectable ?? true,
    standard: false,
  }));
  const catalog = [...STANDARD, ...custom];
  const presence = (id: string) => catalog.find((p) => p.id === id);
  const agents = config.agents ?? {};
  const own = Object.hasOwn(agents, agentId) ? (agents[agentId] ?? {}) : {};
  const shared = config.defaultProfile ?? {};
  const presenceIds = own.presenceIds ?? shared.presenceIds;
  const profiles = Object.entries(own.capacityProfiles ?? shared.capacityProfiles ?? {});
  return {
    agentId,
    presence,
    standardOf: (base) => STANDARD.find((p) => p.base === base && p.selectable) as ModelPresence,
    catalog,
    defaultPresenceId: own.defaultPresenceId ?? shared.defaultPresenceId ?? 'available',
    presenceIds,
    capacity: own.capacity ?? shared.capacity ?? 100,
    maxWorkItems: own.maxWorkItems ?? shared.maxWorkItems,
    maxHeldItems: own.maxHeldItems ?? shared.maxHeldItems ?? 1_000,
    maxSessions: own.maxSessions ?? shared.maxSessions ?? 64,
    capacityProfiles: new Map(profiles.map(([name, p]) => [name, { maxItems: p.maxItems, blocking: p.blocking === true }])),
    sessionTtlMs: own.sessionTtlMs ?? shared.sessionTtlMs,
    reconnectGraceMs: own.reconnectGraceMs ?? shared.reconnectGraceMs ?? 150_000,
    idleAfterMs: own.idleAfterMs ?? shared.idleAfterMs,
    idlePresenceId: own.idlePresenceId ?? shared.idlePresenceId ?? 'away',
    wrapUpMs: own.wrapUpMs ?? shared.wrapUpMs ?? 0,
    wrapUpPresenceId: own.wrapUpPresenceId ?? shared.wrapUpPresenceId,
    onMissed: own.onMissed ?? shared.onMissed,
    onRejected: own.onRejected ?? shared.onRejected,
    capacityPresenceIds: {
      none: config.capacityPresences?.none ?? 'available',
      partial: config.capacityPresences?.partial ?? 'busy',
      full: config.capacityPresences?.full ?? 'busy-dnd',
    },
    mayPick(id) {
      const p = presence(id);
      return p !== undefined && p.active && p.selectable && (p.standard || presenceIds === undefined || presenceIds.includes(id));
    },
  };
}
