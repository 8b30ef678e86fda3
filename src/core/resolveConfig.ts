import type { BaseStatus } from './BaseStatus';
import type { ResolvedCapacityProfile } from './capacityLevel';
import { MAX_HELD_ITEMS, MAX_SESSIONS } from './fieldRules';
import type { AgentProfile, PresenceConfig } from './PresenceConfig';
import type { PresenceDefinition } from './PresenceDefinition';
import { STANDARD_PRESENCES } from './STANDARD_PRESENCES';

/**
 * Capacity in units when neither the agent's profile nor the default profile sets one.
 *
 * @category Config
 * @example
 * ```ts
 * import { createPresenceMachine, DEFAULT_CAPACITY } from 'agent-presence';
 * createPresenceMachine({}).profileOf('anyone').capacity === DEFAULT_CAPACITY; // true
 * ```
 */
export const DEFAULT_CAPACITY = 100;

/**
 * How long after the last session disconnects a sign-in still restores the presence, when no profile sets
 * `reconnectGraceMs`: 2.5 minutes, as in Dynamics 365.
 *
 * @category Config
 * @example
 * ```ts
 * import { createPresenceMachine, DEFAULT_RECONNECT_GRACE_MS } from 'agent-presence';
 * console.log(createPresenceMachine({}).profileOf('a1').reconnectGraceMs === DEFAULT_RECONNECT_GRACE_MS); // true
 * ```
 */
export const DEFAULT_RECONNECT_GRACE_MS = 150_000;

/**
 * An agent's profile with every field settled (agent's own field, else the default profile's, else built-in).
 *
 * @category Config
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * const machine = createPresenceMachine({ defaultProfile: { capacity: 100 }, agents: { a7: { capacity: 60 } } });
 * console.log(machine.profileOf('a7').capacity, machine.profileOf('anyone-else').capacity); // 60 100
 * ```
 */
export interface ResolvedProfile {
  readonly defaultPresenceId: string;
  /** Custom presence ids the agent may pick; `null` means every active custom presence. */
  readonly presenceIds: readonly string[] | null;
  readonly capacity: number;
  /** `undefined`: no limit on the number of items. */
  readonly maxWorkItems: number | undefined;
  /** The most items held at once, wrap-ups included. */
  readonly maxHeldItems: number;
  /** The most sessions at once. */
  readonly maxSessions: number;
  /** Capacity profiles by name (empty: none). */
  readonly capacityProfiles: ReadonlyMap<string, ResolvedCapacityProfile>;
  readonly sessionTtlMs: number | undefined;
  readonly reconnectGraceMs: number;
  readonly idleAfterMs: number | undefined;
  readonly idlePresenceId: string;
  readonly wrapUpMs: number;
  readonly wrapUpPresenceId: string | undefined;
  readonly onMissed: string | undefined;
  readonly onRejected: string | undefined;
  /** What the agent may pick while signed in: the five selectable standard presences, then the allowed active custom ones. */
  readonly selectable: readonly PresenceDefinition[];
}

/**
 * Each profile field's built-in value, used when neither the agent's profile nor the default profile sets it
 * (`undefined`: none), in the order of {@link ResolvedProfile}.
 */
const PROFILE_DEFAULTS = {
  defaultPresenceId: 'available',
  presenceIds: undefined,
  capacity: DEFAULT_CAPACITY,
  maxWorkItems: undefined,
  maxHeldItems: MAX_HELD_ITEMS,
  maxSessions: MAX_SESSIONS,
  capacityProfiles: undefined,
  sessionTtlMs: undefined,
  reconnectGraceMs: DEFAULT_RECONNECT_GRACE_MS,
  idleAfterMs: undefined,
  idlePresenceId: 'away',
  wrapUpMs: 0,
  wrapUpPresenceId: undefined,
  onMissed: undefined,
  onRejected: undefined,
} as const satisfies Record<keyof AgentProfile, unknown>;

/** A profile's fields, each settled from the agent's profile, the default profile or {@link PROFILE_DEFAULTS}. */
type SettledProfile = { [K in keyof AgentProfile]-?: Exclude<AgentProfile[K], undefined> | (typeof PROFILE_DEFAULTS)[K] };

/** @internal The config indexed for the hot path. */
export interface ResolvedConfig {
  readonly presences: readonly PresenceDefinition[];
  readonly catalog: ReadonlyMap<string, PresenceDefinition>;
  readonly standardByBase: ReadonlyMap<BaseStatus, PresenceDefinition>;
  readonly capacityPresences: { readonly none: PresenceDefinition; readonly partial: PresenceDefinition; readonly full: PresenceDefinition };
  readonly defaultProfile: ResolvedProfile;
  readonly profiles: ReadonlyMap<string, ResolvedProfile>;
}

/**
 * Builds the indexed form of a config that `validateConfig` accepted.
 *
 * @internal
 */
export function resolveConfig(config: PresenceConfig): ResolvedConfig {
  const custom: PresenceDefinition[] = (config.presences ?? []).map((p) => ({
    id: p.id,
    name: p.name,
    text: p.text ?? p.name,
    base: p.base,
    description: p.description ?? '',
    active: p.active ?? true,
    selectable: p.selectable ?? true,
    standard: false,
  }));
  const presences = [...STANDARD_PRESENCES, ...custom];
  const catalog = new Map(presences.map((p) => [p.id, p]));
  const lookup = (id: string): PresenceDefinition => catalog.get(id) as PresenceDefinition;
  const standardByBase = new Map(STANDARD_PRESENCES.filter((p) => p.selectable).map((p) => [p.base, p]));
  const slots = config.capacityPresences ?? {};

  const base = config.defaultProfile ?? {};
  const profile = (own: AgentProfile): ResolvedProfile => {
    const settled = Object.fromEntries(
      Object.entries(PROFILE_DEFAULTS).map(([field, fallback]) => [field, own[field as keyof AgentProfile] ?? base[field as keyof AgentProfile] ?? fallback]),
    ) as SettledProfile;
    return {
      ...settled,
      presenceIds: settled.presenceIds ?? null,
      capacityProfiles: new Map(
        Object.entries(settled.capacityProfiles ?? {}).map(([name, p]) => [name, { maxItems: p.maxItems, blocking: p.blocking ?? false }]),
      ),
      selectable: presences.filter((p) => p.selectable && (p.standard || (p.active && (settled.presenceIds?.includes(p.id) ?? true)))),
    };
  };
  const agents = config.agents ?? {};
  return {
    presences,
    catalog,
    standardByBase,
    capacityPresences: {
      none: lookup(slots.none ?? 'available'),
      partial: lookup(slots.partial ?? 'busy'),
      full: lookup(slots.full ?? 'busy-dnd'),
    },
    defaultProfile: profile({}),
    profiles: new Map(Object.keys(agents).map((id) => [id, profile(agents[id] as AgentProfile)])),
  };
}
