import { fieldRules, formatIssues, type BaseStatus, type PresenceIssue, type PresenceMachine, type PresenceState, type ResolvedPresence } from '../core/index';
import { compareSaves } from './compareSaves';
import { freeUnits } from './freeUnits';
import type { RosterPlacement, StoreGeneration } from './ports';
import { SortedList } from './SortedList';

/**
 * A routing question for `findAvailable`: who can take an item of `units` now, among agents whose base status
 * is in `bases` (and, when given, whose presence id is in `presenceIds`), best first, at most `limit` of them.
 *
 * - `mostFree`: most free units first; ties by longest idle, then agent id.
 * - `longestIdle`: idle longest first; ties by most free units, then agent id.
 *
 * "Idle since" is the later of when the agent's presence last changed and when they were last assigned the work
 * they hold. Agent ids compare by UTF-16 code units (as `<` compares strings), so the order never depends on a
 * locale.
 *
 * @category Roster
 * @example
 * ```ts
 * import type { RosterQuery } from 'agent-presence/service';
 * const chatQueue: RosterQuery = { units: 40, bases: ['Available', 'Busy'], limit: 5, order: 'mostFree' };
 * ```
 */
export interface RosterQuery {
  /** Capacity units the item needs. */
  readonly units: number;
  /** The capacity profile the item counts against: only agents with a free slot of it (`machine.canTake`) are offered. */
  readonly profile?: string | undefined;
  /** Base statuses routing may offer work in, e.g. `['Available', 'Busy']`. */
  readonly bases: readonly BaseStatus[];
  /** Only agents in one of these presences (a queue that routes to some custom presences only). */
  readonly presenceIds?: readonly string[] | undefined;
  /** At most this many agents. */
  readonly limit: number;
  readonly order: 'mostFree' | 'longestIdle';
}

/**
 * One agent `findAvailable` offers, with what ranked them.
 *
 * @category Roster
 * @example
 * ```ts
 * import type { RosterCandidate } from 'agent-presence/service';
 * const describe = (c: RosterCandidate) => `${c.agentId}: ${c.presence.text}, ${c.freeUnits} units free since ${c.idleSince}`;
 * ```
 */
export interface RosterCandidate {
  readonly agentId: string;
  readonly presence: ResolvedPresence;
  /** Capacity minus the units held. */
  readonly freeUnits: number;
  /** The later of the presence's `since` and the latest assignment of the work held. */
  readonly idleSince: number;
  /** Work items held. */
  readonly workItems: number;
  /** The stored version the answer is based on. */
  readonly version: number;
}

interface Entry {
  readonly agentId: string;
  readonly state: PresenceState;
  readonly version: number;
  /** The store's generation of the save, when the store has them. */
  readonly generation: StoreGeneration | undefined;
  readonly free: number;
  readonly idleSince: number;
  /** In the bucket's ordered lists: capacity lets the agent take at least a 0-unit item. */
  readonly listed: boolean;
  /**
   * For a listed agent, the exponent e of its slack 2^e: the agent is seen to refuse `free + 2^e` units (so any more
   * units too). `MAX_SLACK_EXPONENT + 1` (slack Infinity) when it takes every finite number of units tried.
   */
  readonly slackExponent: number;
}

/**
 * Agents of one base status, presence id and slack, in both orders. The capacity check tolerates a fraction of each
 * agent's own capacity, so an agent may take a little more than its free units, more as its capacity is larger:
 * free units alone do not say who is refused. Within a bucket every agent refuses its free units + `slack`, so once
 * an agent's free units + `slack` fall short of the units asked, every agent after it in `byFree` is refused too.
 */
interface Bucket {
  readonly base: BaseStatus;
  readonly presenceId: string;
  readonly slack: number;
  readonly byFree: SortedList<Entry>;
  readonly byIdle: SortedList<Entry>;
}

/** The exponents tried for a slack: 2^-1074 is the least positive number, 2^1023 the largest power of two. */
const MIN_SLACK_EXPONENT = -1074;
const MAX_SLACK_EXPONENT = 1023;

/** What the roster orders agents by. */
interface Ranked {
  readonly agentId: string;
  readonly free: number;
  readonly idleSince: number;
}

const byId = (a: Ranked, b: Ranked): number => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);
const mostFreeFirst = (a: Ranked, b: Ranked): number => b.free - a.free || a.idleSince - b.idleSince || byId(a, b);
const longestIdleFirst = (a: Ranked, b: Ranked): number => a.idleSince - b.idleSince || b.free - a.free || byId(a, b);

/**
 * The order of a roster query, for a store that answers `findAvailable` itself (one rule, here).
 *
 * @internal
 */
export function rosterOrder(order: RosterQuery['order']): (a: Ranked, b: Ranked) => number {
  return order === 'mostFree' ? mostFreeFirst : longestIdleFirst;
}

/**
 * The later of when the presence last changed and when the latest item held was assigned.
 *
 * @internal
 */
export function idleSinceOf(state: PresenceState): number {
  let latest = state.since;
  for (const item of state.work) if (item.since > latest) latest = item.since;
  return latest;
}

/**
 * The least exponent e (from `MIN_SLACK_EXPONENT` to `MAX_SLACK_EXPONENT`) for which `refuses(e)` holds, searched
 * outward from `guess` (the right one, most of the time: agents of one capacity share it, so two checks do).
 * Returns `MAX_SLACK_EXPONENT + 1` when none does. Only an exponent seen to hold is returned, so the answer is safe
 * to rely on even were `refuses` not monotone; that it is (false, then true, as e grows) only makes it the least.
 */
function leastRefused(refuses: (exponent: number) => boolean, guess: number): number {
  let lo: number; // refuses(lo) seen false, or below the range
  let hi: number; // refuses(hi) seen true, or above the range
  if (refuses(guess)) {
    hi = guess;
    for (let step = 1; ; step *= 2) {
      lo = Math.max(MIN_SLACK_EXPONENT - 1, guess - step);
      if (lo < MIN_SLACK_EXPONENT || !refuses(lo)) break;
      hi = lo;
    }
  } else {
    lo = guess;
    for (let step = 1; ; step *= 2) {
      hi = Math.min(MAX_SLACK_EXPONENT + 1, guess + step);
      if (hi > MAX_SLACK_EXPONENT || refuses(hi)) break;
      lo = hi;
    }
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (refuses(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Checks a roster query; throws a TypeError naming each bad field.
 *
 * @internal
 */
export function checkRosterQuery(query: RosterQuery): void {
  const issues = queryIssues(query);
  if (issues.length > 0) throw new TypeError(formatIssues(issues, 'findAvailable: invalid query'));
}

/** Every problem of a roster query, each with its field. */
function queryIssues(query: RosterQuery): PresenceIssue[] {
  const issues: PresenceIssue[] = [];
  const check = (path: (string | number)[], problem: string | undefined) => {
    if (problem !== undefined) issues.push({ path, message: problem });
  };
  if (typeof query !== 'object' || query === null) return [{ path: [], message: 'must be an object' }];
  check(['units'], fieldRules.units(query.units));
  if (query.profile !== undefined) check(['profile'], fieldRules.id(query.profile));
  if (!Array.isArray(query.bases) || query.bases.length === 0) {
    check(['bases'], 'must be a non-empty array of base statuses');
  } else {
    query.bases.forEach((base, index) => check(['bases', index], fieldRules.base(base)));
  }
  if (query.presenceIds !== undefined) {
    if (!Array.isArray(query.presenceIds)) check(['presenceIds'], 'must be an array of presence ids');
    else query.presenceIds.forEach((id, index) => check(['presenceIds', index], fieldRules.id(id)));
  }
  check(['limit'], fieldRules.queryLimit(query.limit));
  if (query.order !== 'mostFree' && query.order !== 'longestIdle') {
    check(['order'], `must be mostFree or longestIdle (got ${JSON.stringify(query.order) ?? String(query.order)})`);
  }
  return issues;
}

/**
 * The roster index behind `findAvailable`: agents bucketed by (base status, presence id, slack), each bucket
 * ordered by free units and by idle time. A query walks the buckets it asks for in order, merging them, and stops
 * once it has `limit` agents; with `mostFree` a bucket is also left as soon as its next agent's free units + the
 * bucket's slack fall short of the units asked (no agent after it can take them). Agents whose capacity is full are
 * kept out of the ordered lists. So a query costs about the length of its answer (plus agents passed over for a
 * capacity profile, or within their slack of the units asked, or, with `longestIdle`, for too few free units), not
 * the size of the roster; an update costs O(log n).
 *
 * The slack is measured, not assumed: for each agent, the least power of two 2^e for which the machine's `canTake`
 * refuses free units + 2^e (a few checks, starting from the last agent's e). It covers the capacity tolerance
 * (a fraction of each agent's capacity, so agents of very different capacities land in different buckets) and the
 * rounding of the sums, and it holds for whatever tolerance the machine applies, given two properties of the
 * machine's `canTake` (the core's `canTakeWork`): refusing `units` refuses any more units (with the same profile or
 * none), and a request with a profile is refused whenever the same units without one are. It does not assume an
 * agent takes `units` exactly when its free units are at least `units`: the tolerance for rounding is a fraction
 * of each agent's own capacity, so an agent with a large capacity may take more than its free units, more than an
 * agent with a small one. Its answer is the same as a full scan's: every agent checked with `canTake`, sorted.
 * The capacity check is the machine's alone; presence (base status, presence id) is the query's business.
 *
 * @internal
 */
export class RosterIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, Bucket>();
  /** The slack exponent of the agent measured last: where the next measure starts. */
  private lastSlackExponent = 0;

  constructor(private machine: PresenceMachine) {}

  /** Agents indexed. */
  get size(): number {
    return this.entries.size;
  }

  /** The version indexed for an agent, 0 when the agent is not indexed. */
  versionOf(agentId: string): number {
    return this.entries.get(agentId)?.version ?? 0;
  }

  /** Whether a save of the agent is newer than the one indexed (by generation, then version); true when none is. */
  isNewer(agentId: string, version: number, generation: StoreGeneration | undefined): boolean {
    const current = this.entries.get(agentId);
    return current === undefined || compareSaves({ version, generation }, current) > 0;
  }

  /** Drops every entry (after the store lost data: what the index holds may be newer than what is stored now). */
  clear(): void {
    this.entries.clear();
    this.buckets.clear();
  }

  private keyOf({ state, slackExponent }: Entry): string {
    return `${state.base}\u0000${state.presenceId}\u0000${slackExponent}`;
  }

  private bucketOf(entry: Entry): Bucket {
    const { state, slackExponent } = entry;
    const key = this.keyOf(entry);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = {
        base: state.base,
        presenceId: state.presenceId,
        slack: 2 ** slackExponent,
        byFree: new SortedList<Entry>(mostFreeFirst),
        byIdle: new SortedList<Entry>(longestIdleFirst),
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private add(entry: Entry): void {
    this.entries.set(entry.agentId, entry);
    if (!entry.listed) return;
    const bucket = this.bucketOf(entry);
    bucket.byFree.insert(entry);
    bucket.byIdle.insert(entry);
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.agentId);
    if (!entry.listed) return;
    const bucket = this.bucketOf(entry);
    bucket.byFree.delete(entry);
    bucket.byIdle.delete(entry);
    if (bucket.byFree.size === 0) this.buckets.delete(this.keyOf(entry));
  }

  private entryOf(state: PresenceState, version: number, generation: StoreGeneration | undefined, guess = this.lastSlackExponent): Entry {
    const free = freeUnits(this.machine, state);
    const listed = this.machine.canTake(state, { units: 0 });
    let slackExponent = MAX_SLACK_EXPONENT + 1;
    if (listed) {
      // Units tried are finite and ≥ 0 (any others are not counted as refused, which only makes the slack larger).
      const refuses = (exponent: number) => {
        const units = free + 2 ** exponent;
        return Number.isFinite(units) && units >= 0 && !this.machine.canTake(state, { units });
      };
      slackExponent = leastRefused(refuses, guess);
      if (slackExponent <= MAX_SLACK_EXPONENT) this.lastSlackExponent = slackExponent;
    }
    return { agentId: state.agentId, state, version, generation, free, idleSince: idleSinceOf(state), listed, slackExponent };
  }

  /**
   * Puts an agent's state in the index, unless the index already has a later save of it (a later generation, or
   * a later version of the same one: see `compareSaves`).
   *
   * @returns whether the index changed
   */
  upsert(state: PresenceState, version: number, generation?: StoreGeneration): boolean {
    const current = this.entries.get(state.agentId);
    if (current !== undefined) {
      const order = compareSaves({ version, generation }, current);
      if (order < 0 || (order === 0 && current.state === state)) return false;
      this.remove(current);
    }
    this.add(this.entryOf(state, version, generation ?? current?.generation, current?.listed === true ? current.slackExponent : undefined));
    return true;
  }

  /**
   * Takes an agent out of the index.
   *
   * @returns whether the agent was indexed
   */
  forget(agentId: string): boolean {
    const current = this.entries.get(agentId);
    if (current === undefined) return false;
    this.remove(current);
    return true;
  }

  /** Recomputes every entry under another machine (capacities may have changed). */
  reconfigure(machine: PresenceMachine): void {
    this.machine = machine;
    const all = [...this.entries.values()];
    this.entries.clear();
    this.buckets.clear();
    for (const entry of all) this.add(this.entryOf(entry.state, entry.version, entry.generation));
  }

  /**
   * Where a state sits in the roster under the machine in use (for a store that keeps the roster itself), or null
   * when it is not offered any work (capacity full). Measured as `upsert` measures it, the index left as it is.
   */
  placementOf(state: PresenceState): RosterPlacement | null {
    const entry = this.entryOf(state, 0, undefined);
    if (!entry.listed) return null;
    return { base: state.base, presenceId: state.presenceId, freeUnits: entry.free, idleSince: entry.idleSince, slackExponent: entry.slackExponent };
  }

  /** Answers a query; throws a TypeError naming each bad field. */
  query(query: RosterQuery): RosterCandidate[] {
    checkRosterQuery(query);
    const { units, limit, order } = query;
    const request = query.profile === undefined ? { units } : { units, profile: query.profile };
    const bases = new Set<string>(query.bases);
    const ids = query.presenceIds === undefined ? undefined : new Set(query.presenceIds);
    const compare = order === 'mostFree' ? mostFreeFirst : longestIdleFirst;
    // One cursor per bucket asked, with its next agent (head) and the bucket's slack, in three parallel arrays.
    const cursors: { peek(): Entry | undefined; advance(): void }[] = [];
    const heads: Entry[] = [];
    const slacks: number[] = [];
    // With mostFree, a bucket whose next agent refuses free + slack units is done: that agent refuses `units`, and
    // the agents after it have no more free units and the same slack, so they do too. (The same sum as when the
    // slack was measured: no rounding between.)
    const open = (head: Entry | undefined, slack: number): head is Entry => head !== undefined && (order !== 'mostFree' || !(head.free + slack < units));
    for (const bucket of this.buckets.values()) {
      if (!bases.has(bucket.base) || (ids !== undefined && !ids.has(bucket.presenceId))) continue;
      const cursor = (order === 'mostFree' ? bucket.byFree : bucket.byIdle).cursor();
      const head = cursor.peek();
      if (!open(head, bucket.slack)) continue;
      cursors.push(cursor);
      heads.push(head);
      slacks.push(bucket.slack);
    }
    const found: RosterCandidate[] = [];
    while (found.length < limit && heads.length > 0) {
      let best = 0;
      for (let i = 1; i < heads.length; i++) if (compare(heads[i]!, heads[best]!) < 0) best = i;
      const entry = heads[best]!;
      const cursor = cursors[best]!;
      cursor.advance();
      const next = cursor.peek();
      if (open(next, slacks[best]!)) {
        heads[best] = next;
      } else {
        // Done with this bucket: the last cursor takes its place (the order of the cursors does not matter).
        cursors[best] = cursors[cursors.length - 1]!;
        heads[best] = heads[heads.length - 1]!;
        slacks[best] = slacks[slacks.length - 1]!;
        cursors.pop();
        heads.pop();
        slacks.pop();
      }
      if (this.machine.canTake(entry.state, request)) {
        found.push({
          agentId: entry.agentId,
          presence: this.machine.presenceOf(entry.state),
          freeUnits: entry.free,
          idleSince: entry.idleSince,
          workItems: entry.state.work.length,
          version: entry.version,
        });
      }
    }
    return found;
  }
}
