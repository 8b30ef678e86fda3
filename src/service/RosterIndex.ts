import {
  fieldRules,
  formatIssues,
  type BaseStatus,
  type PresenceIssue,
  type PresenceMachine,
  type PresenceState,
  type ResolvedPresence,
} from '../core/index';
import { canTakeWork, freeUnits } from './canTakeWork';
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
  /** The capacity profile the item needs (used once the core has capacity profiles). */
  readonly profile?: string;
  /** Base statuses routing may offer work in, e.g. `['Available', 'Busy']`. */
  readonly bases: readonly BaseStatus[];
  /** Only agents in one of these presences (a queue that routes to some custom presences only). */
  readonly presenceIds?: readonly string[];
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
  readonly free: number;
  readonly idleSince: number;
  /** In the bucket's ordered lists: capacity lets the agent take at least a 0-unit item. */
  readonly listed: boolean;
}

interface Bucket {
  readonly base: BaseStatus;
  readonly presenceId: string;
  readonly byFree: SortedList<Entry>;
  readonly byIdle: SortedList<Entry>;
}

const byId = (a: Entry, b: Entry): number => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);
const mostFreeFirst = (a: Entry, b: Entry): number => b.free - a.free || a.idleSince - b.idleSince || byId(a, b);
const longestIdleFirst = (a: Entry, b: Entry): number => a.idleSince - b.idleSince || b.free - a.free || byId(a, b);

/** The later of when the presence last changed and when the latest item held was assigned. */
function idleSinceOf(state: PresenceState): number {
  let latest = state.since;
  for (const item of state.work) if (item.since > latest) latest = item.since;
  return latest;
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
  check(['limit'], fieldRules.maxWorkItems(query.limit));
  if (query.order !== 'mostFree' && query.order !== 'longestIdle') {
    check(['order'], `must be mostFree or longestIdle (got ${JSON.stringify(query.order) ?? String(query.order)})`);
  }
  return issues;
}

/**
 * The roster index behind `findAvailable`: agents bucketed by (base status, presence id), each bucket ordered
 * by free units and by idle time. A query walks the buckets it asks for in order, merging them, and stops once
 * it has `limit` agents; with `mostFree` a bucket is also left as soon as its next agent has too few free units.
 * Agents whose capacity is full are kept out of the ordered lists. So a query costs about the length of its
 * answer (plus agents passed over for a capacity profile, or, with `longestIdle`, for too few free units), not
 * the size of the roster; an update costs O(log n).
 *
 * @internal
 */
export class RosterIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(private machine: PresenceMachine) {}

  /** Agents indexed. */
  get size(): number {
    return this.entries.size;
  }

  /** The version indexed for an agent, 0 when the agent is not indexed. */
  versionOf(agentId: string): number {
    return this.entries.get(agentId)?.version ?? 0;
  }

  private bucketOf(state: PresenceState): Bucket {
    const key = `${state.base}\u0000${state.presenceId}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = {
        base: state.base,
        presenceId: state.presenceId,
        byFree: new SortedList(mostFreeFirst),
        byIdle: new SortedList(longestIdleFirst),
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private add(entry: Entry): void {
    this.entries.set(entry.agentId, entry);
    if (!entry.listed) return;
    const bucket = this.bucketOf(entry.state);
    bucket.byFree.insert(entry);
    bucket.byIdle.insert(entry);
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.agentId);
    if (!entry.listed) return;
    const bucket = this.bucketOf(entry.state);
    bucket.byFree.delete(entry);
    bucket.byIdle.delete(entry);
  }

  private entryOf(state: PresenceState, version: number): Entry {
    return {
      agentId: state.agentId,
      state,
      version,
      free: freeUnits(this.machine, state),
      idleSince: idleSinceOf(state),
      listed: canTakeWork(this.machine, state, { units: 0 }),
    };
  }

  /**
   * Puts an agent's state in the index, unless the index already has a later version of it.
   *
   * @returns whether the index changed
   */
  upsert(state: PresenceState, version: number): boolean {
    const current = this.entries.get(state.agentId);
    if (current !== undefined) {
      if (current.version > version || (current.version === version && current.state === state)) return false;
      this.remove(current);
    }
    this.add(this.entryOf(state, version));
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
    for (const entry of all) this.add(this.entryOf(entry.state, entry.version));
  }

  /** Answers a query; throws a TypeError naming each bad field. */
  query(query: RosterQuery): RosterCandidate[] {
    const issues = queryIssues(query);
    if (issues.length > 0) throw new TypeError(formatIssues(issues, 'findAvailable: invalid query'));
    const { units, limit, order } = query;
    const request = query.profile === undefined ? { units } : { units, profile: query.profile };
    const bases = new Set<string>(query.bases);
    const ids = query.presenceIds === undefined ? undefined : new Set(query.presenceIds);
    const compare = order === 'mostFree' ? mostFreeFirst : longestIdleFirst;
    const cursors: { peek(): Entry | undefined; advance(): void }[] = [];
    for (const bucket of this.buckets.values()) {
      if (!bases.has(bucket.base) || (ids !== undefined && !ids.has(bucket.presenceId))) continue;
      const list = order === 'mostFree' ? bucket.byFree : bucket.byIdle;
      if (list.size > 0) cursors.push(list.cursor());
    }
    const found: RosterCandidate[] = [];
    while (found.length < limit && cursors.length > 0) {
      let best = 0;
      for (let i = 1; i < cursors.length; i++) {
        if (compare(cursors[i]!.peek() as Entry, cursors[best]!.peek() as Entry) < 0) best = i;
      }
      const cursor = cursors[best]!;
      const entry = cursor.peek() as Entry;
      cursor.advance();
      let done = cursor.peek() === undefined;
      if (canTakeWork(this.machine, entry.state, request)) {
        found.push({
          agentId: entry.agentId,
          presence: this.machine.presenceOf(entry.state),
          freeUnits: entry.free,
          idleSince: entry.idleSince,
          workItems: entry.state.work.length,
          version: entry.version,
        });
      } else if (order === 'mostFree' && !canTakeWork(this.machine, entry.state, { units })) {
        done = true; // too few free units, and the agents after it in this bucket have no more
      }
      if (done) cursors.splice(best, 1);
    }
    return found;
  }
}
