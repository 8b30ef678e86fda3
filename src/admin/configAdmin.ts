/**
 * Admin helpers for the presence config: edit the presence catalog and agent profiles without touching the
 * config given. Each returns a new config (immer `produce`: unchanged parts are shared, and the result is frozen,
 * the shared parts included) and checks it with the core's `validateConfig`, the same checks as
 * `createPresenceMachine`, throwing `PresenceConfigError` when the edit would make the config invalid.
 */
import { produce, type Draft } from 'immer';
import {
  PresenceConfigError,
  STANDARD_PRESENCES,
  validateConfig,
  type AgentProfile,
  type CapacityPresences,
  type PresenceConfig,
  type PresenceInput,
  type PresenceIssue,
} from '../core/index';

type Path = PresenceIssue['path'];

/** Throws the config error for one problem. */
function fail(path: Path, message: string): never {
  throw new PresenceConfigError([{ path, message }]);
}

/** The config after `recipe`, checked as `createPresenceMachine` checks it. */
function edit(config: PresenceConfig, recipe: (draft: Draft<PresenceConfig>) => void): PresenceConfig {
  const next = produce(config, recipe);
  const issues = validateConfig(next);
  if (issues.length > 0) throw new PresenceConfigError(issues);
  return next;
}

/** The index of a custom presence, failing with a clear problem for a standard or unknown id. */
function customIndex(config: PresenceConfig, presenceId: string): number {
  if (STANDARD_PRESENCES.some((p) => p.id === presenceId)) {
    fail(['presences'], `${JSON.stringify(presenceId)} is a standard presence: standard presences cannot be changed`);
  }
  const index = (config.presences ?? []).findIndex((p) => p.id === presenceId);
  if (index < 0) fail(['presences'], `has no presence ${JSON.stringify(presenceId)}`);
  return index;
}

/** The profile an edit targets: the agent's (created when missing) or, without an agent, the default profile. */
function profileOf(draft: Draft<PresenceConfig>, agentId: string | undefined): Draft<AgentProfile> {
  if (agentId === undefined) return (draft.defaultProfile ??= {});
  if (draft.agents === undefined || !Object.hasOwn(draft.agents, agentId)) {
    // A new object with the agent as an own property: safe for any id, `__proto__` included.
    draft.agents = Object.fromEntries([...Object.entries(draft.agents ?? {}), [agentId, {}]]);
  }
  return draft.agents[agentId] as Draft<AgentProfile>;
}

/**
 * Adds a custom presence at the end of the catalog.
 *
 * @param config - the config to start from
 * @param presence - the new presence; its id must be new
 * @returns the new config
 * @throws `PresenceConfigError` when the presence is malformed or its id is taken
 * @category Admin
 * @example
 * ```ts
 * import { addPresence } from 'agent-presence/admin';
 * const config = addPresence({}, { id: 'away-lunch', name: 'Away – Lunch', text: 'At lunch', base: 'Away' });
 * console.log(config.presences?.length); // 1
 * ```
 */
export function addPresence(config: PresenceConfig, presence: PresenceInput): PresenceConfig {
  return edit(config, (draft) => {
    (draft.presences ??= []).push({ ...presence });
  });
}

/**
 * Changes fields of a custom presence (name, text, base, description); the id stays.
 *
 * @param config - the config to start from
 * @param presenceId - a custom presence of the config
 * @param changes - the fields to change
 * @returns the new config
 * @throws `PresenceConfigError` for a standard or unknown id, or when the result is invalid (a capacity slot
 *   naming it with another base)
 * @category Admin
 * @example
 * ```ts
 * import { addPresence, updatePresence } from 'agent-presence/admin';
 * const config = updatePresence(addPresence({}, { id: 'lunch', name: 'Lunch', base: 'Away' }), 'lunch', { text: 'Out for lunch' });
 * console.log(config.presences?.[0]?.text); // Out for lunch
 * ```
 */
export function updatePresence(
  config: PresenceConfig,
  presenceId: string,
  changes: Partial<Pick<PresenceInput, 'name' | 'text' | 'base' | 'description'>>,
): PresenceConfig {
  const index = customIndex(config, presenceId);
  return edit(config, (draft) => {
    const presence = (draft.presences as Draft<PresenceInput>[])[index] as unknown as Record<string, unknown>;
    for (const field of ['name', 'text', 'base', 'description'] as const) {
      if (Object.hasOwn(changes, field)) presence[field] = changes[field];
    }
  });
}

/**
 * Deactivates a custom presence: it stays in the catalog (states holding it still resolve) but nobody can pick
 * it. The machine made from the result applies the core's rule for agents who hold it.
 *
 * @param config - the config to start from
 * @param presenceId - a custom presence of the config
 * @returns the new config
 * @throws `PresenceConfigError` for a standard or unknown id, or when a default or capacity slot still names it
 * @category Admin
 * @example
 * ```ts
 * import { addPresence, deactivatePresence } from 'agent-presence/admin';
 * const config = deactivatePresence(addPresence({}, { id: 'lunch', name: 'Lunch', base: 'Away' }), 'lunch');
 * console.log(config.presences?.[0]?.active); // false
 * ```
 */
export function deactivatePresence(config: PresenceConfig, presenceId: string): PresenceConfig {
  const index = customIndex(config, presenceId);
  return edit(config, (draft) => {
    ((draft.presences as Draft<PresenceInput>[])[index] as Draft<PresenceInput>).active = false;
  });
}

/**
 * Makes a deactivated custom presence pickable again.
 *
 * @param config - the config to start from
 * @param presenceId - a custom presence of the config
 * @returns the new config
 * @throws `PresenceConfigError` for a standard or unknown id
 * @category Admin
 * @example
 * ```ts
 * import { activatePresence } from 'agent-presence/admin';
 * const config = activatePresence({ presences: [{ id: 'lunch', name: 'Lunch', base: 'Away', active: false }] }, 'lunch');
 * console.log(config.presences?.[0]?.active); // true
 * ```
 */
export function activatePresence(config: PresenceConfig, presenceId: string): PresenceConfig {
  const index = customIndex(config, presenceId);
  return edit(config, (draft) => {
    ((draft.presences as Draft<PresenceInput>[])[index] as Draft<PresenceInput>).active = true;
  });
}

/**
 * Removes a custom presence from the catalog and from every profile's `presenceIds`. Prefer
 * `deactivatePresence` while agents may still hold it: a state naming a removed presence resolves through its
 * base status only.
 *
 * @param config - the config to start from
 * @param presenceId - a custom presence of the config
 * @returns the new config
 * @throws `PresenceConfigError` for a standard or unknown id, or when a default or capacity slot still names it
 * @category Admin
 * @example
 * ```ts
 * import { removePresence } from 'agent-presence/admin';
 * const config = removePresence(
 *   { presences: [{ id: 'lunch', name: 'Lunch', base: 'Away' }], agents: { a1: { presenceIds: ['lunch'] } } },
 *   'lunch',
 * );
 * console.log(config.presences, config.agents?.a1?.presenceIds); // [] []
 * ```
 */
export function removePresence(config: PresenceConfig, presenceId: string): PresenceConfig {
  const index = customIndex(config, presenceId);
  return edit(config, (draft) => {
    (draft.presences as Draft<PresenceInput>[]).splice(index, 1);
    const profiles = [draft.defaultProfile, ...Object.values(draft.agents ?? {})];
    for (const profile of profiles) {
      if (profile?.presenceIds?.includes(presenceId)) profile.presenceIds = profile.presenceIds.filter((id) => id !== presenceId);
    }
  });
}

/**
 * Sets the presence applied at sign-in, for one agent or (without `agentId`) in the default profile.
 *
 * @param config - the config to start from
 * @param presenceId - an active presence, standard or custom
 * @param agentId - the agent whose profile to change (created when missing); left out: the default profile
 * @returns the new config
 * @throws `PresenceConfigError` when the presence is unknown or inactive
 * @category Admin
 * @example
 * ```ts
 * import { setDefaultPresence } from 'agent-presence/admin';
 * const config = setDefaultPresence(setDefaultPresence({}, 'away'), 'busy', 'agent-7');
 * console.log(config.defaultProfile?.defaultPresenceId, config.agents?.['agent-7']?.defaultPresenceId); // away busy
 * ```
 */
export function setDefaultPresence(config: PresenceConfig, presenceId: string, agentId?: string): PresenceConfig {
  return edit(config, (draft) => {
    profileOf(draft, agentId).defaultPresenceId = presenceId;
  });
}

/**
 * Sets which custom presences an agent (or, without `agentId`, the default profile) may pick; `null` removes
 * the list, so every active custom presence is allowed.
 *
 * @param config - the config to start from
 * @param presenceIds - presence ids of the catalog, or null
 * @param agentId - the agent whose profile to change (created when missing); left out: the default profile
 * @returns the new config
 * @throws `PresenceConfigError` naming each unknown id
 * @category Admin
 * @example
 * ```ts
 * import { assignPresences } from 'agent-presence/admin';
 * const base = { presences: [{ id: 'lunch', name: 'Lunch', base: 'Away' as const }] };
 * console.log(assignPresences(base, ['lunch'], 'agent-7').agents?.['agent-7']?.presenceIds); // ['lunch']
 * ```
 */
export function assignPresences(config: PresenceConfig, presenceIds: readonly string[] | null, agentId?: string): PresenceConfig {
  return edit(config, (draft) => {
    const profile = profileOf(draft, agentId);
    if (presenceIds === null) delete profile.presenceIds;
    else profile.presenceIds = [...presenceIds];
  });
}

/**
 * Sets capacity and/or the item limit of an agent (or, without `agentId`, of the default profile); a field left
 * out is kept, `maxWorkItems: null` removes the limit.
 *
 * @param config - the config to start from
 * @param limits - `capacity` in units, `maxWorkItems` (null: no limit)
 * @param agentId - the agent whose profile to change (created when missing); left out: the default profile
 * @returns the new config
 * @throws `PresenceConfigError` for a negative or non-finite capacity, or an item limit that is not a whole number ≥ 1
 * @category Admin
 * @example
 * ```ts
 * import { setCapacity } from 'agent-presence/admin';
 * const config = setCapacity({}, { capacity: 60, maxWorkItems: 3 }, 'agent-7');
 * console.log(config.agents?.['agent-7']); // { capacity: 60, maxWorkItems: 3 }
 * ```
 */
export function setCapacity(
  config: PresenceConfig,
  limits: { readonly capacity?: number | undefined; readonly maxWorkItems?: number | null | undefined },
  agentId?: string,
): PresenceConfig {
  return edit(config, (draft) => {
    const profile = profileOf(draft, agentId);
    if (limits.capacity !== undefined) profile.capacity = limits.capacity;
    if (limits.maxWorkItems === null) delete profile.maxWorkItems;
    else if (limits.maxWorkItems !== undefined) profile.maxWorkItems = limits.maxWorkItems;
  });
}

/**
 * Sets the presence applied automatically at one capacity level: `none` (an Available presence), `partial` (a
 * Busy one) or `full` (a BusyDND one).
 *
 * @param config - the config to start from
 * @param slot - the capacity level
 * @param presenceId - an active presence with the slot's base
 * @returns the new config
 * @throws `PresenceConfigError` when the presence is unknown, inactive or of another base
 * @category Admin
 * @example
 * ```ts
 * import { addPresence, setCapacityPresence } from 'agent-presence/admin';
 * const withChats = addPresence({}, { id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' });
 * console.log(setCapacityPresence(withChats, 'partial', 'busy-chats').capacityPresences); // { partial: 'busy-chats' }
 * ```
 */
export function setCapacityPresence(config: PresenceConfig, slot: keyof CapacityPresences, presenceId: string): PresenceConfig {
  return edit(config, (draft) => {
    (draft.capacityPresences ??= {})[slot] = presenceId;
  });
}

/**
 * Removes an agent's own profile, so the agent falls back to the default profile.
 *
 * @param config - the config to start from
 * @param agentId - the agent
 * @returns the new config (the same object when the agent had no profile)
 * @category Admin
 * @example
 * ```ts
 * import { removeAgentProfile } from 'agent-presence/admin';
 * console.log(removeAgentProfile({ agents: { a1: { capacity: 60 } } }, 'a1').agents); // {}
 * ```
 */
export function removeAgentProfile(config: PresenceConfig, agentId: string): PresenceConfig {
  if (config.agents === undefined || !Object.hasOwn(config.agents, agentId)) return config;
  return edit(config, (draft) => {
    delete (draft.agents as Record<string, unknown>)[agentId];
  });
}
