/**
 * The ports of the presence service: what it needs from its host, each a small interface. Storage, transport,
 * time and timers stay the host's; `agent-presence/service` ships an in-memory adapter of each as the default.
 * docs/adapters.md shows how to write them over a real database and a real transport.
 */
import type { BaseStatus, PresenceSource, PresenceState, Rejection, ResolvedPresence } from '../core/index';
import type { ResolvedRosterQuery } from './RosterQuery';
import type { RoutingMarks } from './RoutingMarks';
import type { UnreadableRecordError } from './UnreadableRecordError';

/**
 * What `dispatch` returned for an event, kept with its `eventId` so that a redelivery returns it again. The
 * state is left out (it is in the record already).
 *
 * @category Store
 * @example
 * ```ts
 * import type { EventOutcome } from 'agent-presence/service';
 * const outcome: EventOutcome = {
 *   presence: { presenceId: 'busy', base: 'Busy', name: 'Busy', text: 'Busy', source: 'capacity', since: 2_000 },
 *   changed: true,
 * };
 * ```
 */
export interface EventOutcome {
  readonly presence: ResolvedPresence;
  readonly changed: boolean;
  readonly rejection?: Rejection;
  readonly late?: number;
  readonly nextDeadline?: number;
}

/**
 * An event id the service has applied for an agent, with when (service clock) and what came of it. These live
 * in the agent's stored record, so every process sharing the store sees them.
 *
 * @category Store
 * @example
 * ```ts
 * import type { SeenEvent } from 'agent-presence/service';
 * const seen: SeenEvent = {
 *   eventId: 'evt-81f2',
 *   seenAt: 1_700_000_000_000,
 *   result: {
 *     presence: { presenceId: 'available', base: 'Available', name: 'Available', text: 'Available', source: 'capacity', since: 1_000 },
 *     changed: true,
 *   },
 * };
 * ```
 */
export interface SeenEvent {
  readonly eventId: string;
  /** When the event was first applied, by the service's clock (epoch milliseconds). */
  readonly seenAt: number;
  readonly result: EventOutcome;
  /**
   * The version the event's save stored. The save writes 0 here ("the version of the record that holds me", not
   * known before the save), and the service reads 0 as the version of the record it loaded. Absent in records
   * written by releases before it. With `from`, it lets a redelivery deliver the change again (see `dispatch`).
   */
  readonly version?: number;
  /**
   * The store generation of the save that stored `version`, set with it when the service reads the 0 its save
   * wrote (absent before, and for a store without generations). A redelivery after the store moved to a later
   * generation then publishes the change under the generation it was saved in, not as a newer one.
   */
  readonly generation?: StoreGeneration;
  /** The presence before the event, when the event changed the presence (`result.changed`). */
  readonly from?: ResolvedPresence;
}

/**
 * What the service stores per agent: the machine's state and the event ids recently applied (bounded by the
 * service's dedup window and id limit). Plain JSON; `snapshotRecord` and `restoreRecord` write and read it.
 *
 * @category Store
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import type { PresenceRecord } from 'agent-presence/service';
 * const record: PresenceRecord = { state: createPresenceMachine({}).initialState('agent-7'), seen: [] };
 * ```
 */
export interface PresenceRecord {
  readonly state: PresenceState;
  readonly seen: readonly SeenEvent[];
  /** What routing remembers of the agent beyond the state (see {@link RoutingMarks}); absent until the agent first holds work. */
  readonly routing?: RoutingMarks;
}

/**
 * A stored record and its version. Versions are whole numbers that grow with every save of the agent; `0`
 * stands for "not stored yet".
 *
 * @category Store
 * @example
 * ```ts
 * import { createMemoryPresenceStore, type VersionedRecord } from 'agent-presence/service';
 * const loaded: VersionedRecord | undefined = await createMemoryPresenceStore().load('agent-7');
 * console.log(loaded); // undefined
 * ```
 */
export interface VersionedRecord {
  readonly record: PresenceRecord;
  readonly version: number;
  /**
   * Optional: the store's generation the record was saved in (see {@link StoreGeneration}); a store that never
   * loses acknowledged saves leaves it out.
   */
  readonly generation?: StoreGeneration;
}

/**
 * A stored record with its agent id, as `PresenceStore.list` yields it.
 *
 * @category Store
 * @example
 * ```ts
 * import { createMemoryPresenceStore, type StoredRecord } from 'agent-presence/service';
 * const all: StoredRecord[] = [];
 * for await (const stored of createMemoryPresenceStore().list()) all.push(stored);
 * ```
 */
export interface StoredRecord extends VersionedRecord {
  readonly agentId: string;
}

/**
 * The answer of `PresenceStore.save`: saved under a new version, or a conflict because the stored version is
 * no longer the expected one (another writer saved first). A conflict must change nothing.
 *
 * @category Store
 * @example
 * ```ts
 * import type { SaveResult } from 'agent-presence/service';
 * const saved: SaveResult = { ok: true, version: 8 };
 * const lost: SaveResult = { ok: false, conflict: true, currentVersion: 9 };
 * ```
 */
export type SaveResult =
  | {
      readonly ok: true;
      readonly version: number;
      /** Optional: the store's generation the save was made in (see {@link StoreGeneration}). */
      readonly generation?: StoreGeneration;
    }
  | { readonly ok: false; readonly conflict: true; readonly currentVersion?: number };

/**
 * What the service tells `PresenceStore.save` about the record it saves, so that a store can write derived data
 * in the same atomic write as the record (an outbox row, a change log entry, a timer index): the presence change
 * the save makes (its `version` is the version the save stores), the state's next deadline, and the id of the
 * event applied. The service passes it on every save; stores that need none of it ignore it.
 *
 * @category Store
 * @example
 * ```ts
 * import type { SaveContext } from 'agent-presence/service';
 * const context: SaveContext = {
 *   change: {
 *     agentId: 'agent-7',
 *     from: { presenceId: 'offline', base: 'Offline', name: 'Offline', text: 'Offline', source: 'default', since: 0 },
 *     to: { presenceId: 'available', base: 'Available', name: 'Available', text: 'Available', source: 'capacity', since: 1_000 },
 *     at: 1_000,
 *     source: 'capacity',
 *     eventId: 'e1',
 *   },
 *   eventId: 'e1',
 * };
 * ```
 */
export interface SaveContext {
  /** The presence change this save makes, without its version (the version the save stores is it). */
  readonly change?: Omit<PresenceChange, 'version'>;
  /** `machine.nextDeadline` of the saved state: when a `tick` is due; absent when nothing is pending. */
  readonly nextDeadline?: number;
  /** The `eventId` of the event applied, when it had one. */
  readonly eventId?: string;
  /**
   * Set when the save changes nothing another process reads from a change feed: no presence change, and the base
   * status, presence id, work held and `since` are those of the stored state (a heartbeat, say). Only the version,
   * the sessions' times and the deadline move. A store with a change feed may leave such a save out of it (the
   * Redis store does); the deadline must still be kept.
   */
  readonly quiet?: true;
  /**
   * Where routing finds the agent after this save, for a store that answers `findAvailable` itself (see
   * {@link RosterPlacement}): `null` when the agent cannot be offered work (signed out of routing: capacity full,
   * or no state to route); absent when the service does not route through the store.
   */
  readonly roster?: RosterPlacement | null;
  /**
   * The work items this save adds to the agent (in `state.work` now, not before), with the claims `claimWork` gave
   * them; absent when the save adds none, or the store has no `claimWork`, or it claims in its save (`saveClaimingWork`,
   * called instead of `save` then). A store with claims must refuse the save
   * as a conflict (nothing written) when one of them was taken over meanwhile: the service then claims again, and
   * refuses the event with `WORK_ITEM_TAKEN`.
   */
  readonly claims?: readonly WorkClaim[];
  /**
   * The work entries this save makes (see {@link WorkHistoryEntry}), without the version and generation the save
   * stores, for a store that writes the history in its save; absent when there are none.
   */
  readonly work?: readonly Omit<WorkHistoryEntry, 'version' | 'generation'>[];
}

/**
 * A work item claimed for an agent by `PresenceStore.claimWork`: the token names that holding, so that a store can
 * refuse a save adding the item once the claim was taken over (see "One item, one agent" in docs/scale-out.md).
 *
 * @category Store
 * @example
 * ```ts
 * import type { WorkClaim } from 'agent-presence/service';
 * const claim: WorkClaim = { workItemId: 'chat-42', token: '9f3a61c2e0b47d15' };
 * ```
 */
export interface WorkClaim {
  readonly workItemId: string;
  readonly token: string;
}

/**
 * What `PresenceStore.claimWork` answers: every item claimed for the agent, or the first one another agent holds
 * (`confirmed`: their stored record holds it; else their claim is younger than the lease, an assignment in flight).
 *
 * @category Store
 * @example
 * ```ts
 * import type { WorkClaimResult } from 'agent-presence/service';
 * const taken: WorkClaimResult = { ok: false, workItemId: 'chat-42', holder: 'agent-3', confirmed: true };
 * const describe = (r: WorkClaimResult) => (r.ok ? `claimed ${r.claims.length}` : `${r.workItemId} is ${r.holder}'s`);
 * console.log(describe(taken)); // chat-42 is agent-3's
 * ```
 */
export type WorkClaimResult =
  | { readonly ok: true; readonly claims: readonly WorkClaim[] }
  | { readonly ok: false; readonly workItemId: string; readonly holder: string; readonly confirmed: boolean };

/**
 * The work items a save moves, for `PresenceStore.saveClaimingWork`: those it adds to the agent's `state.work` (to
 * claim) and those it removes (to free), compared by item id between the stored state and the saved one.
 *
 * @category Store
 * @example
 * ```ts
 * import type { WorkItemChanges } from 'agent-presence/service';
 * const assignment: WorkItemChanges = { added: ['chat-42'], removed: [] };
 * const release: WorkItemChanges = { added: [], removed: ['chat-41'] };
 * ```
 */
export interface WorkItemChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * What `PresenceStore.saveClaimingWork` answers: what `save` answers, or a refusal because another agent holds (or is
 * being given) one of the items added, decided after the compare-and-set passed: nothing was written.
 *
 * @category Store
 * @example
 * ```ts
 * import type { ClaimingSaveResult } from 'agent-presence/service';
 * const taken: ClaimingSaveResult = { ok: false, taken: true, workItemId: 'chat-42', holder: 'agent-3', confirmed: true };
 * const describe = (r: ClaimingSaveResult) => (r.ok ? `v${r.version}` : 'taken' in r ? `${r.workItemId} is ${r.holder}'s` : 'conflict');
 * console.log(describe(taken)); // chat-42 is agent-3's
 * ```
 */
export type ClaimingSaveResult =
  | SaveResult
  | {
      readonly ok: false;
      readonly taken: true;
      readonly workItemId: string;
      /** The agent holding the item (or being given it). */
      readonly holder: string;
      /** Whether the holder's stored record holds the item; else its claim is younger than the lease (an assignment in flight). */
      readonly confirmed: boolean;
    };

/**
 * Where an agent sits in a roster kept by the store, as the service's machine measured it at the save: the store
 * keeps agents by (base, presence id, slack) and orders them by free units and by idle time, as the in-memory roster
 * index does. A query checks each agent it offers with the machine (`canTake`) on the record it reads.
 *
 * @category Store
 * @example
 * ```ts
 * import type { RosterPlacement } from 'agent-presence/service';
 * const placement: RosterPlacement = { base: 'Available', presenceId: 'available', freeUnits: 100, idleSince: 1_000, slackExponent: -45 };
 * ```
 */
export interface RosterPlacement {
  readonly base: BaseStatus;
  readonly presenceId: string;
  /** Capacity minus the units held. */
  readonly freeUnits: number;
  /** The latest of the presence's `since`, the assignment of the work held and the end of the last work (see `RoutingMarks`). */
  readonly idleSince: number;
  /** When the agent was last given an item (`RoutingMarks.routedAt`); absent when never. */
  readonly routedAt?: number;
  /**
   * e in 2^e, the least power of two the agent is seen to refuse on top of its free units (1024: it takes every
   * finite number of units). An agent whose free units + 2^e fall short of the units asked is refused.
   */
  readonly slackExponent: number;
}

/**
 * An agent a store's `findAvailable` offers: the record as stored now (checked), with what ranked it.
 *
 * @category Store
 * @example
 * ```ts
 * import type { RosterMatch } from 'agent-presence/service';
 * const describe = (m: RosterMatch) => `${m.agentId} v${m.version}: ${m.freeUnits} units free since ${m.idleSince}`;
 * ```
 */
export interface RosterMatch extends VersionedRecord {
  readonly agentId: string;
  /** Free units, as the placement ranked the agent (the service measures the candidate again from the record). */
  readonly freeUnits?: number;
  /** Idle since, as the placement ranked the agent (the service measures the candidate again from the record). */
  readonly idleSince?: number;
  /** With a {@link RosterReserve}: this read reserved the agent; what to give `releaseReservation` to give it back. */
  readonly reservation?: string;
  /** With a {@link RosterReserve}: another router holds a reservation of the agent (not given back, not lapsed). */
  readonly reservedElsewhere?: boolean;
}

/**
 * What `route` asks of a store's `findAvailable` besides the query: reserve, in the same step as the read, the best
 * agent no other router holds (on Redis: one per shard read), for `leaseMs` at most, so that routers reading
 * meanwhile try it last; and say which agents offered other routers hold. Plain queries never reserve.
 *
 * @category Store
 * @example
 * ```ts
 * import type { RosterReserve } from 'agent-presence/service';
 * const reserve: RosterReserve = { leaseMs: 500 };
 * ```
 */
export interface RosterReserve {
  /**
   * How long a reservation holds when it is not given back (ms): a router that died blocks nobody longer. A whole
   * number from 1 to 60,000 (the Redis store refuses any other with a TypeError, before sending anything).
   */
  readonly leaseMs: number;
}

/**
 * What the service gives a store's `findAvailable`: which agents to offer, and where to report an unreadable one.
 *
 * @category Store
 * @example
 * ```ts
 * import type { RosterLookup } from 'agent-presence/service';
 * const lookup: RosterLookup = { accepts: (_agentId, state) => state.signedIn, onUnreadable: (error) => console.warn(error.message) };
 * ```
 */
export interface RosterLookup {
  /** Whether the agent, in the state just read, may be offered (the machine's `canTake` for the query's units and profile). */
  accepts(agentId: string, state: PresenceState): boolean;
  /** Told of a candidate whose record cannot be read; it is left out and the query goes on. */
  onUnreadable(error: UnreadableRecordError): void;
}

/**
 * Where agents' records live. The service is correct on any store that offers compare-and-set by version:
 * `save` writes only when the stored version still equals `expectedVersion` (0: only when nothing is stored),
 * atomically, and then stores a greater version. In SQL: `UPDATE … SET version = version + 1 … WHERE agent_id = $1
 * AND version = $expected` (an `INSERT` for 0); no row touched means a conflict.
 *
 * @category Ports
 * @example
 * ```ts
 * import type { PresenceRecord, PresenceStore, SaveResult, StoredRecord } from 'agent-presence/service';
 * // A store over a Map: the same contract a database adapter keeps (see docs/adapters.md).
 * const rows = new Map<string, { record: PresenceRecord; version: number }>();
 * const store: PresenceStore = {
 *   async load(agentId) {
 *     return rows.get(agentId);
 *   },
 *   async save(agentId, record, expectedVersion): Promise<SaveResult> {
 *     const current = rows.get(agentId)?.version ?? 0;
 *     if (current !== expectedVersion) return { ok: false, conflict: true, currentVersion: current };
 *     rows.set(agentId, { record, version: current + 1 });
 *     return { ok: true, version: current + 1 };
 *   },
 *   async *list(): AsyncIterable<StoredRecord> {
 *     for (const [agentId, row] of rows) yield { agentId, ...row };
 *   },
 * };
 * ```
 */
export interface PresenceStore {
  /**
   * @param agentId - the agent
   * @returns the agent's record and version, or `undefined` when nothing is stored for the agent
   */
  load(agentId: string): Promise<VersionedRecord | undefined>;
  /**
   * Compare-and-set: stores `record` only if the agent's stored version is `expectedVersion`.
   *
   * @param agentId - the agent
   * @param record - the record to store
   * @param expectedVersion - the version the record was computed from; 0 when nothing was stored
   * @param context - what the service knows about this save (the presence change it makes, the state's next
   *   deadline, the event id), for a store that writes an outbox, a change log or a timer index in the same
   *   atomic write; a store may ignore it
   * @returns the new version, or a conflict (nothing written)
   */
  save(agentId: string, record: PresenceRecord, expectedVersion: number, context?: SaveContext): Promise<SaveResult>;
  /**
   * Every stored agent, in any order, for rebuilding the roster index; page through the database inside.
   *
   * A record that cannot be read (`restoreRecord` refuses it, or it is not even the right kind of data) must not
   * stop the listing: pass it to `onUnreadable` as an {@link UnreadableRecordError} (agent id, cause, and the
   * stored version and record when known) and go on with the next. The service always passes `onUnreadable`;
   * without it, throw the error.
   *
   * @param onUnreadable - told of each record that cannot be read, which is then left out
   * @returns the stored records that can be read
   */
  list(onUnreadable?: (error: UnreadableRecordError) => void): AsyncIterable<StoredRecord>;
  /**
   * Optional. Compare-and-delete: removes the agent's record only if its stored version is still
   * `expectedVersion`, so that a save made in between is never lost. The service calls it to forget agents signed
   * out for `forgetSignedOutAfterMs`; without it, the service never forgets an agent (a database may prefer to
   * archive rows in its own jobs). In SQL: `DELETE … WHERE agent_id = $1 AND version = $expected`.
   *
   * @param agentId - the agent
   * @param expectedVersion - the version the service checked the agent at
   * @returns whether the record was removed (false: the version moved on, or nothing was stored)
   */
  forget?(agentId: string, expectedVersion: number): Promise<boolean>;
  /**
   * Optional. The agent's record as stored, not checked, for `repairAgent`: the service reads what it can of it
   * and saves a sane record over it with `save(agentId, record, version)`, the normal compare-and-set. Never
   * throws for bad data. A store whose place for the agent holds something `save` cannot write over (on Redis, a
   * key of another type, or a version that is not a number) makes it so first (moving aside what it must, for
   * inspection) and returns the version to save over. Without it, `repairAgent` refuses.
   *
   * @param agentId - the agent
   * @returns `undefined` when nothing is stored; else the version to save over and the record as stored (and, for a
   *   store with generations, the generation it was saved in, so that a record that reads is indexed in its place)
   */
  readForRepair?(agentId: string): Promise<UncheckedRecord | undefined>;
  /**
   * Optional. The agent's record as this process last saved or read it, without asking the store (no round trip),
   * or `undefined` when it holds none. It may be stale: the service saves over it by compare-and-set, so a stale
   * record costs a conflict, and a store that offers this keeps the current record it meets in a conflict (checked)
   * for the next call. The service uses it for the first attempt of a dispatch, and confirms with `load` before
   * answering without a save (declined, refused, a redelivery).
   *
   * @param agentId - the agent
   * @returns the record as last seen here, or `undefined`
   */
  loadCached?(agentId: string): VersionedRecord | undefined;
  /**
   * Optional. Answers a roster query from a roster the store keeps itself, written by each save from
   * `SaveContext.roster`, so that a process routes without following other processes' saves. The agents are
   * returned best first as `query.order` ranks them, at most `query.limit`, none of `query.exclude`, each
   * read from the store as it is now and offered only when `lookup.accepts` it. The service checks the query and
   * fills in its defaults first, and uses this whenever the store has it (its in-memory roster index otherwise).
   *
   * @param query - the checked query, defaults filled in
   * @param lookup - which agents may be offered, and where an unreadable one is reported
   * @param reserve - from `route` only, on a store that can: reserve the best agent no other router holds (see
   *   {@link RosterReserve}); a store without reservations ignores it
   * @returns the agents offered, best first
   */
  findAvailable?(query: ResolvedRosterQuery, lookup: RosterLookup, reserve?: RosterReserve): Promise<RosterMatch[]>;
  /**
   * Optional, with `findAvailable`: gives back a reservation a reserving read took (`RosterMatch.reservation`), once
   * `route` gave the item (or tried to); one that lapsed and another router took is left to them. Never throws: a
   * reservation not given back lapses at the end of its lease.
   *
   * @param agentId - the agent reserved
   * @param reservation - `RosterMatch.reservation`, as the read returned it
   */
  releaseReservation?(agentId: string, reservation: string): Promise<void>;
  /**
   * Optional, with `findAvailable`: the `roundRobin` rotation shared by every process on the store. Without
   * `agentId`, reads the agent id the rotation last routed to (`undefined`: none yet); with it, moves the rotation
   * there. The service keeps the rotation in its own memory when the store has no such method.
   *
   * @param agentId - the agent just routed to, to move the rotation to
   * @returns the agent id the rotation is at
   */
  rotation?(agentId?: string): Promise<string | undefined>;
  /**
   * Optional, with `freeWork`: one item, one agent across every process sharing the store. The service calls it
   * before a save that adds work items to an agent (in `state.work` after the event, not before: an assignment, an
   * offer) and passes the claims on in `SaveContext.claims`. An item is claimed when nobody claims it, or the agent
   * does already (the same token, its lease renewed), or its claim is stale: older than the store's lease and not
   * held in its holder's stored record (the agent's record is the truth). Taking a stale claim over must make every
   * later save of the old holder that adds the item with the old token a conflict, atomically with reading that
   * holder's record. Without these methods a work item is checked per agent only (`DUPLICATE_WORK_ITEM`).
   *
   * @param agentId - the agent the items go to
   * @param workItemIds - the items the save adds
   * @returns the claims, or the first item another agent holds (the items claimed by this call are freed again)
   */
  claimWork?(agentId: string, workItemIds: readonly string[]): Promise<WorkClaimResult>;
  /**
   * Optional, with `claimWork`: frees the agent's claims of items that left its stored record (released, wrap-up
   * ended, signed out, repaired). A claim is removed only when the agent still holds it and the agent's stored record
   * does not hold the item, atomically fencing its token as a takeover does; anything else is left as it is. A free
   * that never comes (a process died) blocks nothing: the claim is stale after the lease.
   *
   * @param agentId - the agent the items left
   * @param workItemIds - the items
   * @returns when done
   */
  freeWork?(agentId: string, workItemIds: readonly string[]): Promise<void>;
  /**
   * Optional, with `claimWork` and `freeWork`: a save that claims the work items it adds and frees the claims of those
   * it removes in the same atomic write as the compare-and-set, so that an assignment or a release costs one round
   * trip instead of a claim before the save (and a free after it). When the store has it, the service calls it for
   * every save that adds or removes work items (`save` for the others), and neither `claimWork` before nor `freeWork`
   * after. It keeps the rules of `claimWork` and `freeWork`, in this order, all or nothing:
   *
   * 1. the compare-and-set, as `save` does: a conflict writes nothing;
   * 2. each item added is claimed for the agent when nobody claims it, or the agent does, or its claim is stale (older
   *    than the lease and not held in its holder's stored record; taken over as `claimWork` takes it over); any other
   *    claim refuses the save (`taken`), and nothing is written: no record, no claim;
   * 3. the record is written, the items added are the agent's (held in its record from now on), and the claims the
   *    agent holds on the items removed are freed as `freeWork` frees them.
   *
   * A store that cannot touch the claims and the record in one atomic write (a Redis Cluster, where they lie in
   * different slots) leaves it out: the service then claims, saves and frees in steps. A wrapper of a store that
   * overrides `save` (to count, log or delay saves) overrides this too, or leaves it out: the saves that move work
   * items come here, not to `save`.
   *
   * @param agentId - the agent
   * @param record - the record to store
   * @param expectedVersion - the version the record was computed from; 0 when nothing was stored
   * @param context - as for `save` (without `claims`: the store makes them)
   * @param work - the items the save adds (to claim) and removes (to free)
   * @returns the new version, a conflict, or the first item added that another agent holds (nothing written)
   * @example
   * ```ts
   * import { createPresenceMachine } from 'agent-presence';
   * import { createMemoryPresenceStore } from 'agent-presence/service';
   * const machine = createPresenceMachine({});
   * const store = createMemoryPresenceStore();
   * const signedIn = (agentId: string) => machine.transition(machine.initialState(agentId), { type: 'signIn', at: 1_000 }).state;
   * const withChat = (agentId: string) =>
   *   machine.transition(signedIn(agentId), { type: 'workAssigned', workItemId: 'chat-42', units: 10, at: 2_000 }).state;
   * const work = { added: ['chat-42'], removed: [] };
   * console.log(await store.saveClaimingWork('agent-3', { state: withChat('agent-3'), seen: [] }, 0, {}, work)); // { ok: true, version: 1 }
   * const refused = await store.saveClaimingWork('agent-7', { state: withChat('agent-7'), seen: [] }, 0, {}, work);
   * console.log(refused, await store.load('agent-7')); // { ok: false, taken: true, workItemId: 'chat-42', holder: 'agent-3', confirmed: true } undefined
   * ```
   */
  saveClaimingWork?(agentId: string, record: PresenceRecord, expectedVersion: number, context: SaveContext, work: WorkItemChanges): Promise<ClaimingSaveResult>;
}

/**
 * A change of an agent's presence (its presence id), as published and kept in the history. `version` is the
 * stored version the change was saved under: it grows per agent, so a consumer can order changes and drop a
 * redelivered one.
 *
 * @category Ports
 * @example
 * ```ts
 * import type { PresenceChange } from 'agent-presence/service';
 * const onChange = (change: PresenceChange) =>
 *   console.log(`${change.agentId}: ${change.from.text} → ${change.to.text} (${change.source}) v${change.version}`);
 * ```
 */
export interface PresenceChange {
  readonly agentId: string;
  readonly from: ResolvedPresence;
  readonly to: ResolvedPresence;
  /** When the new presence started: `to.since`, the applied time of the event. */
  readonly at: number;
  /** Why the new presence holds: `to.source`. */
  readonly source: PresenceSource;
  /** The agent's stored version after the change. */
  readonly version: number;
  /** The `eventId` of the event that made the change, when it had one. */
  readonly eventId?: string;
  /**
   * The store's generation the change was saved in, when the store has generations (the Redis store does): after
   * the store lost data, versions start again lower in a new generation, so a consumer orders and drops repeats by
   * `(agentId, generation, version)`.
   */
  readonly generation?: StoreGeneration;
}

/**
 * Tells the world about presence changes (a message broker, server-sent events, a webhook). The service calls it
 * after the change is saved, once per change, in each agent's order; a call that throws (or rejects) is retried
 * before that agent's next change goes out, so delivery is at least once: a consumer drops repeats by
 * `(agentId, generation, version)`. A change whose save's outcome was unknown is published when its event is sent
 * again (with its version then, perhaps after the agent's later changes; see `dispatch`).
 *
 * @category Ports
 * @example
 * ```ts
 * import type { PresenceChange, PresencePublisher } from 'agent-presence/service';
 * const sent: string[] = [];
 * const publisher: PresencePublisher = {
 *   async publish(change: PresenceChange) {
 *     sent.push(JSON.stringify(change)); // e.g. await broker.send('presence', JSON.stringify(change))
 *   },
 * };
 * ```
 */
export interface PresencePublisher {
  /**
   * @param change - the change to send
   * @returns nothing; throw or reject to have it retried
   */
  publish(change: PresenceChange): void | Promise<void>;
}

/**
 * The service's clock: the dedup window and `seenAt` use it. Events carry their own time (`at`); the machine
 * never reads a clock.
 *
 * @category Ports
 * @example
 * ```ts
 * import type { Clock } from 'agent-presence/service';
 * let now = 0;
 * const testClock: Clock = { now: () => now };
 * now += 60_000;
 * console.log(testClock.now()); // 60000
 * ```
 */
export interface Clock {
  /**
   * @returns the current time, epoch milliseconds
   */
  now(): number;
}

/**
 * Keeps at most one timer per agent. The service arms it at the machine's `nextDeadline` after each applied event
 * (replacing the agent's earlier timer) and cancels it when there is no deadline; when it fires, the service
 * dispatches a `tick` at the deadline.
 *
 * @category Ports
 * @example
 * ```ts
 * import type { Scheduler } from 'agent-presence/service';
 * const timers = new Map<string, { at: number; fire: () => void }>();
 * const manual: Scheduler = {
 *   set: (agentId, at, fire) => void timers.set(agentId, { at, fire }),
 *   cancel: (agentId) => void timers.delete(agentId),
 * };
 * ```
 */
export interface Scheduler {
  /**
   * Arms the agent's timer, replacing the one it had.
   *
   * @param agentId - the agent
   * @param at - when to fire, epoch milliseconds
   * @param fire - what to call then
   */
  set(agentId: string, at: number, fire: () => void): void;
  /**
   * Disarms the agent's timer, if it has one.
   *
   * @param agentId - the agent
   */
  cancel(agentId: string): void;
}

/**
 * A time window, epoch milliseconds: from `from` (included) to `to` (excluded).
 *
 * @category Ports
 * @example
 * ```ts
 * import type { TimeWindow } from 'agent-presence/service';
 * const shift: TimeWindow = { from: Date.UTC(2026, 0, 5, 9), to: Date.UTC(2026, 0, 5, 17) };
 * ```
 */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * One of an agent's work events as the history keeps it, for `report`: an accepted `workAssigned`, `workReleased`,
 * `workMissed` or `workRejected` (`kind`), or any other save that changed the capacity units the agent has in use
 * (a wrap-up that ended, a sign-out that dropped work: no `kind`). `used` and `capacity` after it give the agent's
 * occupancy over time.
 *
 * @category Ports
 * @example
 * ```ts
 * import type { WorkHistoryEntry } from 'agent-presence/service';
 * const assigned: WorkHistoryEntry = { agentId: 'agent-7', at: 1_000, kind: 'assigned', workItemId: 'chat-1', used: 40, capacity: 100, version: 3 };
 * ```
 */
export interface WorkHistoryEntry {
  readonly agentId: string;
  /** When the event applied (its `at`, or the agent's latest time when it came late), epoch milliseconds. */
  readonly at: number;
  /** The work event it records; absent when the entry records only a change of the units in use. */
  readonly kind?: WorkEventKind;
  /** The event's work item, when it named one. */
  readonly workItemId?: string;
  /** Capacity units the agent holds after the event (items in wrap-up included). */
  readonly used: number;
  /** The agent's capacity in units then. */
  readonly capacity: number;
  /** The agent's stored version after the event's save. */
  readonly version: number;
  /** The `eventId` of the event, when it had one. */
  readonly eventId?: string;
  /** The store's generation of the save, when the store has generations (see {@link PresenceChange}). */
  readonly generation?: StoreGeneration;
}

/**
 * The work events a report counts: `workAssigned`, `workReleased`, `workMissed` and `workRejected`, accepted.
 *
 * @category Ports
 * @example
 * ```ts
 * import type { WorkEventKind } from 'agent-presence/service';
 * const kinds: WorkEventKind[] = ['assigned', 'released', 'missed', 'rejected'];
 * ```
 */
export type WorkEventKind = 'assigned' | 'released' | 'missed' | 'rejected';

/**
 * An append-only log of each agent's presence changes, for `timeInStatus`. The service appends each change
 * after it is saved, in the agent's order, retrying an append that throws like a publication.
 *
 * @category Ports
 * @example
 * ```ts
 * import type { HistoryStore, PresenceChange } from 'agent-presence/service';
 * const log: PresenceChange[] = [];
 * const history: HistoryStore = {
 *   append: (change) => void log.push(change),
 *   read: (agentId, { from, to }) => {
 *     const mine = log.filter((c) => c.agentId === agentId && c.at < to);
 *     const before = mine.filter((c) => c.at <= from).at(-1);
 *     return [...(before ? [before] : []), ...mine.filter((c) => c.at > from)];
 *   },
 * };
 * ```
 */
export interface HistoryStore {
  /**
   * @param change - the change to append
   * @returns nothing; throw or reject to have it retried
   */
  append(change: PresenceChange): void | Promise<void>;
  /**
   * The agent's changes that matter for a window, oldest first: the last one at or before `window.from` (the
   * presence the window starts in) and every one after it before `window.to`. It may return more.
   *
   * @param agentId - the agent
   * @param window - the window asked about
   * @returns the changes, oldest first
   */
  read(agentId: string, window: TimeWindow): readonly PresenceChange[] | Promise<readonly PresenceChange[]>;
  /**
   * Optional. Drops every change of the agent; the service calls it after removing an agent from the store (see
   * `PresenceStore.forget`). Without it, a forgotten agent's changes stay in the history.
   *
   * @param agentId - the agent
   * @returns nothing; a failure is reported to `onError` (kind `forget`)
   */
  forget?(agentId: string): void | Promise<void>;
  /**
   * Optional, with `readWork`: keeps one of the agent's work events, for `report`'s work counts and occupancy. The
   * service calls it after the save, in the agent's order, retrying one that throws; a store that writes them in its
   * save (the Redis store does, from `SaveContext.work`) may leave this empty. Without it, a report has no `work`
   * and no `occupancy`.
   *
   * @param entry - the entry to keep
   * @returns nothing; throw or reject to have it retried
   */
  appendWork?(entry: WorkHistoryEntry): void | Promise<void>;
  /**
   * Optional, with `appendWork`: the agent's work entries that matter for a window, oldest first: the last one at or
   * before `window.from` (the units in use when the window starts) and every one after it before `window.to`. It
   * may return more.
   *
   * @param agentId - the agent
   * @param window - the window asked about
   * @returns the entries, oldest first
   */
  readWork?(agentId: string, window: TimeWindow): readonly WorkHistoryEntry[] | Promise<readonly WorkHistoryEntry[]>;
}

/**
 * An agent's record as `PresenceStore.readForRepair` returns it: not checked, with the version to save over it.
 *
 * @category Store
 * @example
 * ```ts
 * import type { UncheckedRecord } from 'agent-presence/service';
 * const corrupt: UncheckedRecord = { version: 12, record: '{"schemaVersion":1,"state":{"agentId":"agent-7","since":null' };
 * const wrongType: UncheckedRecord = { version: 12, problem: 'its key held a list, not a hash: moved aside to presence:{0}:unreadable:agent-7' };
 * ```
 */
export interface UncheckedRecord {
  /** The version `save` must be given to replace the record (compare-and-set): the stored one, or the one to continue from. */
  readonly version: number;
  /** The record as stored: JSON text, or the object a store keeps; absent when nothing could be read. */
  readonly record?: unknown;
  /** What the store found wrong before reading the record (a key of another type), when it found something. */
  readonly problem?: string;
  /** The store's generation the record was saved in, when the store has them (see {@link StoreGeneration}). */
  readonly generation?: StoreGeneration;
}

/**
 * Names a store's data set, for a store that can lose acknowledged saves (Redis without persistence, or failing
 * over to a replica that missed the last writes): after such a loss, versions start again lower, and the new
 * generation tells the service that a lower version is newer. A store makes a new generation whenever it finds its
 * data lost, each sorting after the ones before it as strings compare (code units): e.g. the time it was made,
 * zero-padded, then a random part. Saves are ordered by generation first, then by version. The Redis adapters
 * keep one per shard.
 *
 * @category Store
 * @example
 * ```ts
 * import type { StoreGeneration } from 'agent-presence/service';
 * const generation: StoreGeneration = '001767225600000-9f3a61c2';
 * ```
 */
export type StoreGeneration = string;
