import { fieldRules } from '../core/index';
import { SNAPSHOT_SCHEMA_VERSION } from '../schema/snapshot';
import { createSystemClock } from './createSystemClock';
import type {
  ClaimingSaveResult,
  Clock,
  PresenceRecord,
  PresenceStore,
  SaveContext,
  SaveResult,
  StoredRecord,
  UncheckedRecord,
  VersionedRecord,
  WorkClaim,
  WorkClaimResult,
  WorkItemChanges,
} from './ports';

/**
 * Options of {@link createMemoryPresenceStore}: how long a work item's claim protects an assignment in flight, by
 * which clock.
 *
 * @category Adapters
 * @example
 * ```ts
 * import { createMemoryPresenceStore, type MemoryStoreOptions } from 'agent-presence/service';
 * let now = 0;
 * const options: MemoryStoreOptions = { claimLeaseMs: 5_000, clock: { now: () => now } };
 * const store = createMemoryPresenceStore(options);
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * How long a work item's claim that its holder's record does not hold yet (an assignment in flight) keeps other
   * agents from it, ms (default 10,000). After it, the claim is stale and another agent may take the item.
   */
  readonly claimLeaseMs?: number | undefined;
  /** The clock of the leases (default `createSystemClock()`). */
  readonly clock?: Clock | undefined;
}

/** How long a claim not yet saved keeps other agents from its item by default, ms. */
const DEFAULT_CLAIM_LEASE_MS = 10_000;

/**
 * A {@link PresenceStore} in memory, the service's default: records in a `Map`, compare-and-set by version.
 * It keeps the records it is given as they are (the service never changes a record after saving it) and loses
 * them with the process; use it for tests, demos and single-process hosts that rebuild presence at start.
 * `forget` (compare-and-delete) lets the service drop agents signed out for `forgetSignedOutAfterMs`. `list` yields
 * the agents stored when it starts, each as stored when it is reached (one forgotten meanwhile is left out).
 * `readForRepair` returns a record as kept (`{ schemaVersion: 1, state, seen }`), for `repairAgent` to check and
 * replace a record that was saved broken (the store does not check what it is given).
 *
 * `claimWork` and `freeWork` keep one item, one agent (see {@link PresenceStore.claimWork}): a `Map` of each item's
 * holder, claim token and lease; a save that adds an item whose claim is no longer the one given is a conflict.
 * `saveClaimingWork` claims and frees in the same step as the compare-and-set, as the Redis store does on one server.
 *
 * @param options - the claims' lease and clock
 * @returns the store, with `size` (agents stored)
 * @category Adapters
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createMemoryPresenceStore } from 'agent-presence/service';
 * const store = createMemoryPresenceStore();
 * const record = { state: createPresenceMachine({}).initialState('agent-7'), seen: [] };
 * console.log(await store.save('agent-7', record, 0)); // { ok: true, version: 1 }
 * console.log(await store.save('agent-7', record, 0)); // { ok: false, conflict: true, currentVersion: 1 }
 * console.log(store.size); // 1
 * console.log(await store.forget('agent-7', 2), await store.forget('agent-7', 1)); // false true
 * console.log(store.size, await store.load('agent-7')); // 0 undefined
 * ```
 */
export function createMemoryPresenceStore(options?: MemoryStoreOptions): PresenceStore & {
  readonly size: number;
  /**
   * Deletes the agent's record if it is still at `expectedVersion` (compare-and-delete, as `save` compares).
   *
   * @param agentId - the agent
   * @param expectedVersion - the version the caller read
   * @returns true when the record was deleted; false when another write came first (or nothing was stored)
   */
  forget(agentId: string, expectedVersion: number): Promise<boolean>;
  /**
   * The agent's record as kept, not checked, as a snapshot (`{ schemaVersion: 1, state, seen }`), and its version.
   *
   * @param agentId - the agent
   * @returns undefined when nothing is stored
   */
  readForRepair(agentId: string): Promise<UncheckedRecord | undefined>;
  /**
   * Claims work items for the agent (see {@link PresenceStore.claimWork}): free ones, the agent's own (the same token,
   * the lease renewed), and stale ones (the lease passed, and the holder's record does not hold the item).
   *
   * @param agentId - the agent the items go to
   * @param workItemIds - the items
   * @returns the claims, or the first item another agent holds
   */
  claimWork(agentId: string, workItemIds: readonly string[]): Promise<WorkClaimResult>;
  /**
   * Frees the agent's claims of items its stored record does not hold (see {@link PresenceStore.freeWork}).
   *
   * @param agentId - the agent
   * @param workItemIds - the items
   * @returns when done
   */
  freeWork(agentId: string, workItemIds: readonly string[]): Promise<void>;
  /**
   * Saves, claiming the items added and freeing the items removed in the same step (see
   * {@link PresenceStore.saveClaimingWork}): the compare-and-set, then the claims (a refusal writes nothing), then the
   * record and the claims.
   *
   * @param agentId - the agent
   * @param record - the record to store
   * @param expectedVersion - the version the record was computed from
   * @param context - as for `save`
   * @param work - the items added and removed
   * @returns the new version, a conflict, or the item another agent holds
   */
  saveClaimingWork(agentId: string, record: PresenceRecord, expectedVersion: number, context: SaveContext, work: WorkItemChanges): Promise<ClaimingSaveResult>;
} {
  const leaseMs = options?.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  const leaseProblem = fieldRules.duration(leaseMs);
  if (leaseProblem !== undefined) throw new TypeError(`createMemoryPresenceStore: claimLeaseMs ${leaseProblem}`);
  const clock = options?.clock ?? createSystemClock();
  const rows = new Map<string, VersionedRecord>();
  /** Work item id → the agent claiming it, the claim's token, and until when it holds without the agent's record. */
  const claims = new Map<string, { agentId: string; token: string; until: number }>();
  let tokens = 0;
  /** Whether the agent's stored record holds the item (the truth a claim is checked against); a broken record holds none. */
  const holds = (agentId: string, workItemId: string): boolean => {
    const work: unknown = rows.get(agentId)?.record.state?.work;
    return Array.isArray(work) && work.some((item: { workItemId?: unknown } | null) => item?.workItemId === workItemId);
  };
  /**
   * Another agent's claim that keeps the item from `agentId`: one whose holder's record holds the item, or one still
   * within its lease. A stale claim (neither) may be taken over.
   */
  const heldElsewhere = (agentId: string, workItemId: string, now: number) => {
    const claim = claims.get(workItemId);
    if (claim === undefined || claim.agentId === agentId) return undefined;
    const confirmed = holds(claim.agentId, workItemId);
    return confirmed || now < claim.until ? { workItemId, holder: claim.agentId, confirmed } : undefined;
  };
  /** Frees the agent's claims of the items its stored record does not hold. */
  const free = (agentId: string, workItemIds: readonly string[]): void => {
    for (const workItemId of workItemIds) {
      if (claims.get(workItemId)?.agentId === agentId && !holds(agentId, workItemId)) claims.delete(workItemId);
    }
  };
  /** Whether every claim a save gives is still the agent's, with its token. */
  const stillClaimed = (agentId: string, given: readonly WorkClaim[] | undefined): boolean =>
    given === undefined ||
    given.every(({ workItemId, token }) => {
      const claim = claims.get(workItemId);
      return claim !== undefined && claim.agentId === agentId && claim.token === token;
    });
  /**
   * The compare-and-set, then (a save that adds or removes work items) the claims: an item added that another agent
   * holds refuses the save with nothing written; otherwise the record, a new token for each item added (one the agent
   * held before included: a save under an older one is refused), and the items removed freed. `save` is this with no items.
   */
  const saveClaimingWork = async (
    agentId: string,
    record: PresenceRecord,
    expectedVersion: number,
    context: SaveContext | undefined,
    work: WorkItemChanges,
  ): Promise<ClaimingSaveResult> => {
    const current = rows.get(agentId)?.version ?? 0;
    // A claim taken over since it was given (stale: the lease passed before this save): another agent has the item.
    if (current !== expectedVersion || !stillClaimed(agentId, context?.claims)) return { ok: false, conflict: true, currentVersion: current };
    const now = work.added.length > 0 ? clock.now() : 0; // a plain save reads no clock
    for (const workItemId of work.added) {
      const refused = heldElsewhere(agentId, workItemId, now);
      if (refused !== undefined) return { ok: false, taken: true, ...refused };
    }
    const version = current + 1;
    rows.set(agentId, { record, version });
    for (const workItemId of work.added) claims.set(workItemId, { agentId, token: String(++tokens), until: now + leaseMs });
    free(agentId, work.removed);
    return { ok: true, version };
  };
  return {
    get size() {
      return rows.size;
    },
    async load(agentId) {
      return rows.get(agentId);
    },
    save: (agentId: string, record: PresenceRecord, expectedVersion: number, context?: SaveContext): Promise<SaveResult> =>
      saveClaimingWork(agentId, record, expectedVersion, context, { added: [], removed: [] }) as Promise<SaveResult>,
    saveClaimingWork,
    async forget(agentId: string, expectedVersion: number): Promise<boolean> {
      if (rows.get(agentId)?.version !== expectedVersion) return false;
      return rows.delete(agentId);
    },
    async claimWork(agentId: string, workItemIds: readonly string[]): Promise<WorkClaimResult> {
      const now = clock.now();
      const made: WorkClaim[] = [];
      const fresh: string[] = [];
      for (const workItemId of workItemIds) {
        const claim = claims.get(workItemId);
        if (claim !== undefined && claim.agentId === agentId) {
          claim.until = now + leaseMs; // the agent's already: the same token, the lease renewed
          made.push({ workItemId, token: claim.token });
          continue;
        }
        const refused = heldElsewhere(agentId, workItemId, now);
        if (refused !== undefined) {
          for (const id of fresh) claims.delete(id);
          return { ok: false, ...refused };
        }
        // Free, or stale (the lease passed and the holder's record does not hold it): taken over.
        const token = String(++tokens);
        claims.set(workItemId, { agentId, token, until: now + leaseMs });
        fresh.push(workItemId);
        made.push({ workItemId, token });
      }
      return { ok: true, claims: made };
    },
    async freeWork(agentId: string, workItemIds: readonly string[]): Promise<void> {
      free(agentId, workItemIds);
    },
    async readForRepair(agentId: string): Promise<UncheckedRecord | undefined> {
      const row = rows.get(agentId);
      if (row === undefined) return undefined;
      const record = row.record as Partial<PresenceRecord> | null | undefined;
      return { version: row.version, record: { schemaVersion: SNAPSHOT_SCHEMA_VERSION, state: record?.state, seen: record?.seen } };
    },
    // Nothing here is ever unreadable: records are kept as the service gave them.
    async *list(): AsyncIterable<StoredRecord> {
      // The ids only, each row read as it is when reached: a slow reader (the service's background forgetting)
      // must not keep every agent's record of the time it started alive.
      for (const agentId of [...rows.keys()]) {
        const row = rows.get(agentId);
        if (row !== undefined) yield { agentId, record: row.record, version: row.version };
      }
    },
  };
}
