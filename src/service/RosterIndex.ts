import type { BaseStatus, PresenceMachine, PresenceState } from '../core/index';
import { compareSaves } from './compareSaves';
import { freeUnits } from './freeUnits';
import type { RosterPlacement, StoreGeneration } from './ports';
import {
  byId,
  candidateOf,
  leastRecentlyRoutedFirst,
  longestIdleFirst,
  mostFreeFirst,
  rosterOrder,
  type ResolvedRosterQuery,
  type RosterCandidate,
} from './RosterQuery';
import { idleSinceOf, laterMarks, nextMarks, type RoutingMarks } from './RoutingMarks';
import { SortedList } from './SortedList';

interface Entry {
  readonly agentId: string;
  readonly state: PresenceState;
  readonly version: number;
  /** The store's generation of the save, when the store has them. */
  readonly generation: StoreGeneration | undefined;
  readonly free: number;
  readonly idleSince: number;
  /** When last routed an item; -Infinity when never. */
  readonly routedAt: number;
  readonly marks: RoutingMarks | undefined;
  /** In the bucket's ordered lists: capacity lets the agent take at least a 0-unit item. */
  readonly listed: boolean;
  /**
   * For a listed agent, the exponent e of its slack 2^e: the agent is seen to refuse `free + 2^e` units (so any more
   * units too). `MAX_SLACK_EXPONENT + 1` (slack Infinity) when it takes every finite number of units tried.
   */
  readonly slackExponent: number;
}

/**
 * Agents of one base status, presence id and slack, in each order. The capacity check tolerates a fraction of each
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
  readonly byRouted: SortedList<Entry>;
  readonly byId: SortedList<Entry>;
}

/** The exponents tried for a slack: 2^-1074 is the least positive number, 2^1023 the largest power of two. */
const MIN_SLACK_EXPONENT = -1074;
const MAX_SLACK_EXPONENT = 1023;

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
        byRouted: new SortedList<Entry>(leastRecentlyRoutedFirst),
        byId: new SortedList<Entry>(byId),
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
    bucket.byRouted.insert(entry);
    bucket.byId.insert(entry);
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.agentId);
    if (!entry.listed) return;
    const bucket = this.bucketOf(entry);
    bucket.byFree.delete(entry);
    bucket.byIdle.delete(entry);
    bucket.byRouted.delete(entry);
    bucket.byId.delete(entry);
    if (bucket.byFree.size === 0) this.buckets.delete(this.keyOf(entry));
  }

  private entryOf(
    state: PresenceState,
    marks: RoutingMarks | undefined,
    version: number,
    generation: StoreGeneration | undefined,
    guess = this.lastSlackExponent,
  ): Entry {
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
    return {
      agentId: state.agentId,
      state,
      version,
      generation,
      free,
      idleSince: idleSinceOf(state, marks),
      routedAt: marks?.routedAt ?? -Infinity,
      marks,
      listed,
      slackExponent,
    };
  }

  /**
   * Puts an agent's state in the index, unless the index already has a later save of it (a later generation, or
   * a later version of the same one: see `compareSaves`). The routing marks kept are the later of those given and
   * those held; a save heard of without its marks has them derived from the state held before it.
   *
   * @returns whether the index changed
   */
  upsert(state: PresenceState, version: number, generation?: StoreGeneration, marks?: RoutingMarks): boolean {
    const current = this.entries.get(state.agentId);
    if (current !== undefined) {
      const order = compareSaves({ version, generation }, current);
      if (order < 0 || (order === 0 && current.state === state && laterMarks(current.marks, marks) === current.marks)) return false;
      this.remove(current);
    }
    // Marks not given (a save heard of through `ingest`, without its record): derived from the state held before.
    const kept = laterMarks(current?.marks, marks ?? (current === undefined ? undefined : nextMarks(current.state, state, current.marks)));
    this.add(this.entryOf(state, kept, version, generation ?? current?.generation, current?.listed === true ? current.slackExponent : undefined));
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
    for (const entry of all) this.add(this.entryOf(entry.state, entry.marks, entry.version, entry.generation));
  }

  /**
   * Where a state sits in the roster under the machine in use (for a store that keeps the roster itself), or null
   * when it is not offered any work (capacity full). Measured as `upsert` measures it, the index left as it is.
   */
  placementOf(state: PresenceState, marks?: RoutingMarks): RosterPlacement | null {
    const entry = this.entryOf(state, marks, 0, undefined);
    if (!entry.listed) return null;
    return {
      base: state.base,
      presenceId: state.presenceId,
      freeUnits: entry.free,
      idleSince: entry.idleSince,
      ...(marks?.routedAt !== undefined ? { routedAt: marks.routedAt } : {}),
      slackExponent: entry.slackExponent,
    };
  }

  /** Answers a checked query (see `resolveRosterQuery`). */
  query(query: ResolvedRosterQuery): RosterCandidate[] {
    const { units, limit, order, after } = query;
    const request = query.profile === undefined ? { units } : { units, profile: query.profile };
    const bases = new Set<string>(query.bases);
    const ids = query.presenceIds === undefined ? undefined : new Set(query.presenceIds);
    const excluded = new Set(query.exclude);
    const compare = rosterOrder(order, after);
    // One cursor per bucket (and, with roundRobin, per phase of the rotation) asked, with its next agent (head) and
    // the bucket's slack, in three parallel arrays.
    const cursors: { peek(): Entry | undefined; advance(): void }[] = [];
    const heads: Entry[] = [];
    const slacks: number[] = [];
    // With mostFree, a bucket whose next agent refuses free + slack units is done: that agent refuses `units`, and
    // the agents after it have no more free units and the same slack, so they do too. (The same sum as when the
    // slack was measured: no rounding between.)
    const open = (head: Entry | undefined, slack: number): head is Entry => head !== undefined && (order !== 'mostFree' || !(head.free + slack < units));
    const push = (cursor: { peek(): Entry | undefined; advance(): void }, slack: number) => {
      const head = cursor.peek();
      if (!open(head, slack)) return;
      cursors.push(cursor);
      heads.push(head);
      slacks.push(slack);
    };
    for (const bucket of this.buckets.values()) {
      if (!bases.has(bucket.base) || (ids !== undefined && !ids.has(bucket.presenceId))) continue;
      if (order === 'roundRobin') {
        if (after === undefined) {
          push(bucket.byId.cursor(), bucket.slack);
        } else {
          // The ids after the cursor, then those up to it: two walks of the same list.
          push(bucket.byId.cursorAfter({ agentId: after } as Entry), bucket.slack);
          const fromStart = bucket.byId.cursor();
          push(
            { peek: () => ((e) => (e === undefined || e.agentId > after ? undefined : e))(fromStart.peek()), advance: () => fromStart.advance() },
            bucket.slack,
          );
        }
        continue;
      }
      const list = order === 'mostFree' ? bucket.byFree : order === 'longestIdle' ? bucket.byIdle : bucket.byRouted;
      push(list.cursor(), bucket.slack);
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
      if (!excluded.has(entry.agentId) && this.machine.canTake(entry.state, request))
        found.push(candidateOf(this.machine, entry.state, entry.marks, entry.version, entry));
    }
    return found;
  }
}
