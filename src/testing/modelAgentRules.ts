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
  readonly standard: boolean;
}

/** The five standard presences, from the spec: one per base status, always active, selectable by everyone. */
const STANDARD: readonly ModelPresence[] = [
  { id: 'available', name: 'Available', text: 'Available', base: 'Available', active: true, standard: true },
  { id: 'busy', name: 'Busy', text: 'Busy', base: 'Busy', active: true, standard: true },
  { id: 'busy-dnd', name: 'Busy DND', text: 'Do not disturb', base: 'BusyDND', active: true, standard: true },
  { id: 'away', name: 'Away', text: 'Appear away', base: 'Away', active: true, standard: true },
  { id: 'offline', name: 'Offline', text: 'Offline', base: 'Offline', active: true, standard: true },
];

/**
 * What the config says about one agent, read the plain way: the agent's own profile field, else the default
 * profile's, else the built-in default.
 *
 * @internal
 */
export interface ModelAgentRules {
  readonly agentId: string;
  /** A presence of the catalog (standard or custom, inactive included), or undefined. */
  presence(id: string): ModelPresence | undefined;
  /** The standard presence of a base status. */
  standardOf(base: BaseStatus): ModelPresence;
  /** Every presence of the catalog: the standard ones, then the custom ones in config order. */
  readonly catalog: readonly ModelPresence[];
  readonly defaultPresenceId: string;
  /** The custom presences the agent may pick; `undefined`: every active one. */
  readonly presenceIds: readonly string[] | undefined;
  readonly capacity: number;
  readonly maxWorkItems: number | undefined;
  /** The presence shown at each capacity level. */
  readonly capacityPresenceIds: { readonly none: string; readonly partial: string; readonly full: string };
  /** Whether the agent may pick this presence (while signed in): it exists, is active and is standard or allowed. */
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
    standard: false,
  }));
  const catalog = [...STANDARD, ...custom];
  const presence = (id: string) => catalog.find((p) => p.id === id);
  const agents = config.agents ?? {};
  const own = Object.hasOwn(agents, agentId) ? (agents[agentId] ?? {}) : {};
  const shared = config.defaultProfile ?? {};
  const presenceIds = own.presenceIds ?? shared.presenceIds;
  return {
    agentId,
    presence,
    standardOf: (base) => STANDARD.find((p) => p.base === base) as ModelPresence,
    catalog,
    defaultPresenceId: own.defaultPresenceId ?? shared.defaultPresenceId ?? 'available',
    presenceIds,
    capacity: own.capacity ?? shared.capacity ?? 100,
    maxWorkItems: own.maxWorkItems ?? shared.maxWorkItems,
    capacityPresenceIds: {
      none: config.capacityPresences?.none ?? 'available',
      partial: config.capacityPresences?.partial ?? 'busy',
      full: config.capacityPresences?.full ?? 'busy-dnd',
    },
    mayPick(id) {
      const p = presence(id);
      return p !== undefined && p.active && (p.standard || presenceIds === undefined || presenceIds.includes(id));
    },
  };
}
