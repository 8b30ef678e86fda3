import { fieldRules, formatIssues, type BaseStatus, type PresenceIssue, type PresenceMachine, type PresenceState, type ResolvedPresence } from '../core/index';
import { describeValue } from '../core/internal';
import { freeUnits } from './freeUnits';
import { idleSinceOf, type RoutingMarks } from './RoutingMarks';

/**
 * How `findAvailable` ranks the agents who can take an item:
 *
 * - `mostFree`: most free units first (Dynamics 365's highest capacity); ties by longest idle, then agent id.
 * - `longestIdle`: idle longest first — since the latest of when the agent's presence last changed (became
 *   available), when they were given the work they hold, and when they last finished work (Amazon Connect's
 *   "time since last activity"); ties by most free units, then agent id.
 * - `leastRecentlyOffered`: the agent given an item least recently first, never first (Amazon Connect's "time
 *   since last inbound"); ties by longest idle, then agent id.
 * - `roundRobin`: agent ids in order, starting after the agent the rotation routed to last (one rotation per
 *   service, and on Redis one shared by every process), wrapping around.
 *
 * Agent ids compare by UTF-16 code units (as `<` compares strings), so the order never depends on a locale.
 *
 * @category Roster
 * @example
 * ```ts
 * import type { RosterOrder } from 'agent-presence/service';
 * const fair: RosterOrder = 'leastRecentlyOffered';
 * ```
 */
export type RosterOrder = 'mostFree' | 'longestIdle' | 'leastRecentlyOffered' | 'roundRobin';

/**
 * The orders `findAvailable` knows, for code that lists or checks them at run time.
 *
 * @category Roster
 * @example
 * ```ts
 * import { ROSTER_ORDERS } from 'agent-presence/service';
 * console.log(ROSTER_ORDERS.includes('roundRobin')); // true
 * ```
 */
export const ROSTER_ORDERS: readonly RosterOrder[] = ['mostFree', 'longestIdle', 'leastRecentlyOffered', 'roundRobin'];

/**
 * The defaults of a {@link RosterQuery} and its bounds: `units` 0, `bases` Available and Busy (Dynamics 365's
 * routable bases), `order` `mostFree`, `limit` 10; `limit` at most 10,000, `exclude` at most 1,000 agent ids and
 * `presenceIds` at most 1,000 (more is refused with a `TypeError`: page by excluding, or narrow the query).
 *
 * @category Roster
 * @example
 * ```ts
 * import { ROSTER_QUERY_DEFAULTS } from 'agent-presence/service';
 * console.log(ROSTER_QUERY_DEFAULTS.limit, ROSTER_QUERY_DEFAULTS.maxLimit); // 10 10000
 * ```
 */
export const ROSTER_QUERY_DEFAULTS = {
  units: 0,
  bases: ['Available', 'Busy'] as readonly BaseStatus[],
  order: 'mostFree' as RosterOrder,
  limit: 10,
  maxLimit: 10_000,
  maxExclude: 1_000,
  maxPresenceIds: 1_000,
} as const;

/** At most this many entries in `bases` (five base statuses; a longer list is refused before each is looked at). */
const MAX_BASES = 16;

/**
 * A routing question for `findAvailable`: who can take an item of `units` now, among agents whose base status
 * is in `bases` (and, when given, whose presence id is in `presenceIds`) and not in `exclude`, best first by
 * `order` (see {@link RosterOrder}), at most `limit` of them. Every field has a default
 * ({@link ROSTER_QUERY_DEFAULTS}): `findAvailable({})` gives the 10 agents with most free units among the Available
 * and Busy ones.
 *
 * @category Roster
 * @example
 * ```ts
 * import type { RosterQuery } from 'agent-presence/service';
 * const chatQueue: RosterQuery = { units: 40, profile: 'chat', order: 'longestIdle', exclude: ['agent-3'] };
 * ```
 */
export interface RosterQuery {
  /** Capacity units the item needs (default 0). */
  readonly units?: number | undefined;
  /** The capacity profile the item counts against: only agents with a free slot of it (`machine.canTake`) are offered. */
  readonly profile?: string | undefined;
  /** Base statuses routing may offer work in (default `['Available', 'Busy']`). */
  readonly bases?: readonly BaseStatus[] | undefined;
  /** Only agents in one of these presences (a queue that routes to some custom presences only). */
  readonly presenceIds?: readonly string[] | undefined;
  /** Agents never offered, e.g. those who just missed or rejected the item (at most 1,000). */
  readonly exclude?: readonly string[] | undefined;
  /** At most this many agents (default 10, at most 10,000). */
  readonly limit?: number | undefined;
  /** The ranking (default `mostFree`). */
  readonly order?: RosterOrder | undefined;
  /**
   * With `roundRobin`: start after this agent id (ids after it first, then from the first id again). Default: the
   * rotation `route` keeps (shared by every process on a store that keeps it, as the Redis store does). Give your
   * own to keep one rotation per queue.
   */
  readonly after?: string | undefined;
}

/**
 * A {@link RosterQuery} checked and with its defaults filled in, as a store's `findAvailable` gets it.
 *
 * @category Roster
 * @example
 * ```ts
 * import type { ResolvedRosterQuery } from 'agent-presence/service';
 * const query: ResolvedRosterQuery = { units: 0, bases: ['Available'], exclude: [], limit: 10, order: 'mostFree' };
 * ```
 */
export interface ResolvedRosterQuery {
  readonly units: number;
  readonly profile?: string | undefined;
  readonly bases: readonly BaseStatus[];
  readonly presenceIds?: readonly string[] | undefined;
  readonly exclude: readonly string[];
  readonly limit: number;
  readonly order: RosterOrder;
  /** With `roundRobin`: the agent id the rotation starts after; none: from the first agent id. */
  readonly after?: string | undefined;
}

/**
 * One agent `findAvailable` offers, with what ranked them.
 *
 * @category Roster
 * @example
 * ```ts
 * import type { RosterCandidate } from 'agent-presence/service';
 * const describe = (c: RosterCandidate) => `${c.agentId}: ${c.presence.text}, ${c.freeUnits} units free, ${c.freeByProfile.chat ?? 0} more chats`;
 * ```
 */
export interface RosterCandidate {
  readonly agentId: string;
  readonly presence: ResolvedPresence;
  /** Capacity minus the units held. */
  readonly freeUnits: number;
  /**
   * For each of the agent's capacity profiles, how many more items of it fit: the profile's `maxItems` less the
   * items of it held, no more than the items `maxWorkItems` still allows, 0 when the machine refuses an item of it
   * (a blocking profile in use, capacity full). Units are `freeUnits`' business.
   */
  readonly freeByProfile: Readonly<Record<string, number>>;
  /** The latest of the presence's `since`, the assignment of the work held, and the end of the agent's last work. */
  readonly idleSince: number;
  /** When the agent was last given an item (any assignment, routed or not); absent when never, as far as the record tells. */
  readonly lastRoutedAt?: number;
  /** Work items held. */
  readonly workItems: number;
  /** The stored version the answer is based on. */
  readonly version: number;
}

/**
 * What the orders compare.
 *
 * @internal
 */
export interface Ranked {
  readonly agentId: string;
  readonly free: number;
  readonly idleSince: number;
  /** When last routed; -Infinity when never. */
  readonly routedAt: number;
}

const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

/** @internal */
export const byId = (a: Pick<Ranked, 'agentId'>, b: Pick<Ranked, 'agentId'>): number => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);
/** @internal */
export const mostFreeFirst = (a: Ranked, b: Ranked): number => b.free - a.free || a.idleSince - b.idleSince || byId(a, b);
/** @internal */
export const longestIdleFirst = (a: Ranked, b: Ranked): number => a.idleSince - b.idleSince || b.free - a.free || byId(a, b);
/** @internal */
export const leastRecentlyRoutedFirst = (a: Ranked, b: Ranked): number => compareNumbers(a.routedAt, b.routedAt) || a.idleSince - b.idleSince || byId(a, b);

/**
 * The comparison of an order (one rule, here, for the in-memory index and a store that answers itself);
 * `after`: for `roundRobin`, the agent id the rotation starts after.
 *
 * @internal
 */
export function rosterOrder(order: RosterOrder, after?: string): (a: Ranked, b: Ranked) => number {
  switch (order) {
    case 'mostFree':
      return mostFreeFirst;
    case 'longestIdle':
      return longestIdleFirst;
    case 'leastRecentlyOffered':
      return leastRecentlyRoutedFirst;
    case 'roundRobin': {
      // Ids after the cursor first (phase 0), then from the start again up to it (phase 1).
      const phase = (r: Ranked) => (after !== undefined && !(r.agentId > after) ? 1 : 0);
      return (a, b) => phase(a) - phase(b) || byId(a, b);
    }
  }
}

/**
 * Checks a roster query and fills in its defaults; throws a TypeError naming each bad field.
 *
 * @internal
 */
export function resolveRosterQuery(query: RosterQuery | undefined, method = 'findAvailable'): ResolvedRosterQuery {
  const read: PresenceIssue[] = [];
  // Each field read once, here: a getter that throws is named, and one that answers differently later is not asked again.
  const given: RosterQuery = query === undefined ? {} : readFieldsOnce(query, ROSTER_QUERY_FIELDS, [], read);
  const issues = [...read, ...queryIssues(given)];
  if (issues.length > 0) throw new TypeError(formatIssues(issues, `${method}: invalid query`));
  const d = ROSTER_QUERY_DEFAULTS;
  return {
    units: given.units ?? d.units,
    ...(given.profile !== undefined ? { profile: given.profile } : {}),
    bases: given.bases ?? d.bases,
    ...(given.presenceIds !== undefined ? { presenceIds: given.presenceIds } : {}),
    exclude: given.exclude ?? [],
    limit: given.limit ?? d.limit,
    order: given.order ?? d.order,
    ...(given.after !== undefined ? { after: given.after } : {}),
  };
}

/** The fields of a roster query, read once each by `resolveRosterQuery`. */
const ROSTER_QUERY_FIELDS = ['units', 'profile', 'bases', 'presenceIds', 'exclude', 'limit', 'order', 'after'] as const;

/** How many entries an array field may hold before it is copied (a longer one is refused by its check, uncopied). */
const MAX_ARRAY_READ = 10_000;

/**
 * A plain copy of `fields` of `source`, each read once (arrays of at most {@link MAX_ARRAY_READ} entries copied too);
 * a field whose getter (or a Proxy's trap) throws is added to `issues`, named, and left out. Anything not an object
 * is given back as it is, for the caller's check to name.
 *
 * @internal
 */
export function readFieldsOnce<T extends object>(source: T, fields: readonly (keyof T & string)[], path: readonly string[], issues: PresenceIssue[]): T {
  if (typeof source !== 'object' || source === null) return source;
  let copy: Record<string, unknown>;
  try {
    copy = Array.isArray(source) ? ([] as unknown as Record<string, unknown>) : {};
  } catch (error) {
    issues.push({ path: [...path], message: `could not be read (${thrown(error)})` });
    return {} as T;
  }
  for (const field of fields) {
    try {
      let value: unknown = source[field];
      if (Array.isArray(value) && value.length <= MAX_ARRAY_READ) value = Array.prototype.slice.call(value);
      if (value !== undefined) copy[field] = value;
    } catch (error) {
      issues.push({ path: [...path, field], message: `could not be read: reading it threw (${thrown(error)})` });
    }
  }
  return copy as T;
}

/** What a getter threw, bounded. */
function thrown(error: unknown): string {
  let said: string;
  try {
    said = error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error);
  } catch {
    said = 'an unreadable value';
  }
  return said.length > 120 ? `${said.slice(0, 120)}…` : said;
}

/** Every problem of a roster query, each with its field. */
function queryIssues(query: RosterQuery): PresenceIssue[] {
  const issues: PresenceIssue[] = [];
  const check = (path: (string | number)[], problem: string | undefined) => {
    if (problem !== undefined) issues.push({ path, message: problem });
  };
  if (typeof query !== 'object' || query === null || Array.isArray(query)) return [{ path: [], message: `must be an object (got ${describeValue(query)})` }];
  const { maxLimit, maxExclude, maxPresenceIds } = ROSTER_QUERY_DEFAULTS;
  if (query.units !== undefined) check(['units'], fieldRules.units(query.units));
  if (query.profile !== undefined) check(['profile'], fieldRules.id(query.profile));
  if (query.bases !== undefined) {
    if (!Array.isArray(query.bases) || query.bases.length === 0) check(['bases'], 'must be a non-empty array of base statuses');
    else if (query.bases.length > MAX_BASES) check(['bases'], `must hold at most ${MAX_BASES} base statuses (got ${query.bases.length})`);
    else query.bases.forEach((base, index) => check(['bases', index], fieldRules.base(base)));
  }
  if (query.presenceIds !== undefined) {
    if (!Array.isArray(query.presenceIds)) check(['presenceIds'], 'must be an array of presence ids');
    else if (query.presenceIds.length > maxPresenceIds)
      check(['presenceIds'], `must hold at most ${maxPresenceIds} presence ids (got ${query.presenceIds.length})`);
    else query.presenceIds.forEach((id, index) => check(['presenceIds', index], fieldRules.id(id)));
  }
  if (query.exclude !== undefined) {
    if (!Array.isArray(query.exclude)) check(['exclude'], 'must be an array of agent ids');
    else if (query.exclude.length > maxExclude)
      check(['exclude'], `must hold at most ${maxExclude} agent ids (got ${query.exclude.length}): exclude fewer, or narrow the query`);
    else query.exclude.forEach((id, index) => check(['exclude', index], fieldRules.id(id)));
  }
  if (query.limit !== undefined) {
    const problem = fieldRules.queryLimit(query.limit);
    if (problem !== undefined) check(['limit'], problem);
    else if (query.limit > maxLimit) check(['limit'], `must be at most ${maxLimit} (got ${query.limit}): ask again excluding the agents already given`);
  }
  if (query.after !== undefined) check(['after'], fieldRules.id(query.after));
  if (query.order !== undefined && !ROSTER_ORDERS.includes(query.order)) {
    check(['order'], `must be one of ${ROSTER_ORDERS.join(', ')} (got ${describeValue(query.order)})`);
  }
  return issues;
}

/** The answer for an agent without capacity profiles (one object, frozen). */
const NO_PROFILES: Readonly<Record<string, number>> = Object.freeze({});

/**
 * For each of the agent's capacity profiles, how many more items of it fit (see `RosterCandidate.freeByProfile`).
 *
 * @internal
 */
export function freeByProfileOf(machine: PresenceMachine, state: PresenceState): Readonly<Record<string, number>> {
  const { capacityProfiles, maxWorkItems } = machine.profileOf(state.agentId);
  if (capacityProfiles === undefined || capacityProfiles.size === 0) return NO_PROFILES;
  const itemsLeft = maxWorkItems === undefined ? Infinity : Math.max(0, maxWorkItems - state.work.length);
  const out: Record<string, number> = {};
  for (const [name, { maxItems }] of capacityProfiles) {
    let held = 0;
    for (const item of state.work) if (item.profile === name) held++;
    // Defined as an own property, so a profile named "__proto__" is a key like any other.
    const free = machine.canTake(state, { units: 0, profile: name }) ? Math.max(0, Math.min(maxItems - held, itemsLeft)) : 0;
    Object.defineProperty(out, name, { value: free, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A candidate as `findAvailable` gives it, from the agent's stored state and marks (its free units and idle time
 * as the in-memory index measured them, when given: the same rules).
 *
 * @internal
 */
export function candidateOf(
  machine: PresenceMachine,
  state: PresenceState,
  marks: RoutingMarks | undefined,
  version: number,
  measured?: { readonly free: number; readonly idleSince: number },
): RosterCandidate {
  const candidate: { -readonly [K in keyof RosterCandidate]: RosterCandidate[K] } = {
    agentId: state.agentId,
    presence: machine.presenceOf(state),
    freeUnits: measured?.free ?? freeUnits(machine, state),
    freeByProfile: freeByProfileOf(machine, state),
    idleSince: measured?.idleSince ?? idleSinceOf(state, marks),
    workItems: state.work.length,
    version,
  };
  if (marks?.routedAt !== undefined) candidate.lastRoutedAt = marks.routedAt;
  return candidate;
}
