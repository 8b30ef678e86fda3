import { parseJsonText } from '../schema/parseJsonText';
import {
  fieldRules,
  formatIssues,
  readEvent,
  type PresenceEvent,
  type PresenceIssue,
  type PresenceMachine,
  type PresenceState,
  type ResolvedPresence,
  type Transition,
} from '../core/index';
import { describeValue, isPlainObject } from '../core/internal';
import { checkPresenceState } from '../schema/checkPresenceState';
import { parseEvent } from '../schema/parseEvent';
import { PresenceEventError } from '../schema/PresenceEventError';
import { PresenceSnapshotError } from '../schema/PresenceSnapshotError';
import type { AgentRepair, RepairOptions } from './AgentRepair';
import { createDeliveryQueue } from './createDeliveryQueue';
import { createMemoryHistoryStore } from './createMemoryHistoryStore';
import { createMemoryPresenceStore } from './createMemoryPresenceStore';
import { createMemoryPublisher } from './createMemoryPublisher';
import { createSerialQueue } from './createSerialQueue';
import { createSystemClock } from './createSystemClock';
import { createTimerScheduler } from './createTimerScheduler';
import { PresenceConflictError } from './PresenceConflictError';
import type {
  Clock,
  EventOutcome,
  HistoryStore,
  PresenceChange,
  PresencePublisher,
  PresenceRecord,
  PresenceStore,
  RosterLookup,
  RosterReserve,
  SaveContext,
  Scheduler,
  SeenEvent,
  StoreGeneration,
  TimeWindow,
  VersionedRecord,
  WorkClaim,
  WorkHistoryEntry,
} from './ports';
import { compareSaves, type SavePoint } from './compareSaves';
import { RosterIndex } from './RosterIndex';
import { candidateOf, resolveRosterQuery, type RosterCandidate, type RosterQuery } from './RosterQuery';
import { routeItem, type RouteCandidate, type RouteItem, type RouteOptions, type RouteResult } from './routeItem';
import { nextMarks, type RoutingMarks } from './RoutingMarks';
import { salvageRecord } from './salvageRecord';
import { restoreRecord } from './snapshotRecord';
import { UnreadableRecordError, type UnreadableAgent } from './UnreadableRecordError';
import { isForgettable, type ForgetPolicy } from './isForgettable';
import { findSeen, rememberSeen, seenAtVersion, type DedupPolicy } from './seenEvents';
import { tickEvent } from './tickEvent';
import { computeTimeInStatus, type TimeInStatus } from './timeInStatus';
import { computeAgentReport, reportTotals, type AgentReport, type PresenceReport, type ReportRequest } from './PresenceReport';
import { workEntriesOf } from './workEntriesOf';
import { createEventLoopYield } from './createEventLoopYield';

/**
 * What `dispatch` returns: the machine's {@link Transition}, the stored version it led to, and whether the event
 * was a redelivery. For a redelivery (`duplicate: true`) everything but `state` and `version` is the earlier
 * result, returned again; `state` is the agent's state now. A redelivery also runs again what follows the earlier
 * save (the timer, the listeners, the history, the publisher) unless this service knows it ran: see `dispatch`.
 *
 * @category Service
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService, type DispatchResult } from 'agent-presence/service';
 * const service = createPresenceService({ machine: createPresenceMachine({}) });
 * const first: DispatchResult = await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'e1' });
 * const again = await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'e1' });
 * console.log(first.changed, first.duplicate, again.changed, again.duplicate, again.version); // true false true true 1
 * ```
 */
export interface DispatchResult extends Transition {
  /** The agent's stored version after the dispatch (0: nothing stored). */
  readonly version: number;
  /** True when the event's `eventId` was applied before, within the dedup window: nothing was applied now. */
  readonly duplicate: boolean;
  /**
   * Set when the dispatch's `precondition` did not hold for the agent's current state: nothing was applied or
   * stored, and `state`, `presence` and `version` are the agent's current ones.
   */
  readonly declined?: true;
}

/**
 * Options of one `dispatch`. `precondition` is checked on the agent's current state (deadlines due by the
 * event's time applied) inside the compare-and-set loop, so it holds for the very state the event is applied to,
 * even with other processes writing the agent: when another writer saved first, the event is applied again to
 * what they stored, and `precondition` is asked again. When it is false, nothing is applied or stored and the
 * result says `declined: true`. A redelivered event (its `eventId` already applied) returns the earlier result
 * without asking.
 *
 * @category Service
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService, type DispatchOptions } from 'agent-presence/service';
 * const service = createPresenceService({ machine: createPresenceMachine({ defaultProfile: { capacity: 100 } }) });
 * await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
 * // Assign only if the item still fits: never past capacity, however many routers race for the agent.
 * const fits: DispatchOptions = { precondition: (state, machine) => machine.canTake(state, { units: 60 }) };
 * const first = await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c1', units: 60, at: 2_000 }, fits);
 * const second = await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c2', units: 60, at: 3_000 }, fits);
 * console.log(first.declined, second.declined, second.state.work.length); // undefined true 1
 * ```
 */
export interface DispatchOptions {
  /** Whether the event may be applied to this state, asked with the machine in use. */
  readonly precondition?: ((state: PresenceState, machine: PresenceMachine) => boolean) | undefined;
}

/**
 * An event as `dispatch` takes it: any {@link PresenceEvent}, with `at` left out when the service should stamp it
 * with its own clock (the usual case for events from agents' browsers, whose clocks are not to be trusted).
 *
 * @category Service
 * @example
 * ```ts
 * import type { DispatchEvent } from 'agent-presence/service';
 * const fromTheBrowser: DispatchEvent = { type: 'setPresence', presenceId: 'away' }; // stamped on arrival
 * const fromAClock: DispatchEvent = { type: 'tick', at: 1_000 };
 * ```
 */
export type DispatchEvent = PresenceEvent extends infer E ? (E extends PresenceEvent ? Omit<E, 'at'> & { readonly at?: number } : never) : never;

/**
 * How far ahead of the service's clock an event's `at` may be by default: 10 seconds. Servers synced by NTP are
 * within milliseconds of each other; a browser's clock can be minutes off, which is why browsers' events are sent
 * without `at` and stamped by the service.
 *
 * @category Service
 * @example
 * ```ts
 * import { DEFAULT_MAX_CLOCK_SKEW_MS } from 'agent-presence/service';
 * console.log(DEFAULT_MAX_CLOCK_SKEW_MS); // 10000
 * ```
 */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 10_000;

/**
 * An agent's state as another process saved it, for {@link PresenceService.ingest}: from a change feed such as
 * the Redis change stream (`agent-presence/redis`).
 *
 * @category Service
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import type { ExternalUpdate } from 'agent-presence/service';
 * const update: ExternalUpdate = { agentId: 'agent-7', state: createPresenceMachine({}).initialState('agent-7'), version: 3 };
 * ```
 */
export interface ExternalUpdate {
  readonly agentId: string;
  readonly state: PresenceState;
  /** The stored version of `state`. */
  readonly version: number;
  /**
   * The store's generation of the save, when the store has them (the Redis change stream gives it): a later
   * generation is newer whatever its version (see {@link StoreGeneration}).
   */
  readonly generation?: StoreGeneration;
  /** The presence change that save made, if it made one (`change.version` is `version`). */
  readonly change?: PresenceChange;
}

/**
 * An agent's presence as `get` reads it from the store.
 *
 * @category Service
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService, type AgentPresence } from 'agent-presence/service';
 * const service = createPresenceService({ machine: createPresenceMachine({}) });
 * const agent: AgentPresence = await service.get('agent-7');
 * console.log(agent.presence.text, agent.version); // Offline 0
 * ```
 */
export interface AgentPresence {
  readonly agentId: string;
  readonly state: PresenceState;
  readonly presence: ResolvedPresence;
  /** The stored version; 0 when nothing is stored for the agent (the state is then the initial one). */
  readonly version: number;
}

/**
 * Where a failure reported to `onError` happened: delivering a change to the publisher or the history (it stays
 * queued and is retried), calling a `subscribe` listener, dispatching a timer's `tick`, forgetting a signed-out
 * agent (`forget`; `agentId` is empty when listing the store failed), finding an agent's stored record
 * unreadable (`unreadable`, an `UnreadableRecordError`: told once per agent, until the record reads again), or
 * freeing the claims of work items that left an agent (`claim`: nothing is blocked, the claims go stale).
 *
 * @category Service
 * @example
 * ```ts
 * import type { ServiceErrorContext } from 'agent-presence/service';
 * const onError = (error: unknown, context: ServiceErrorContext) =>
 *   console.warn(`presence ${context.kind} failed for ${context.agentId}:`, error);
 * ```
 */
export interface ServiceErrorContext {
  readonly kind: 'publish' | 'history' | 'listener' | 'tick' | 'forget' | 'unreadable' | 'claim';
  readonly agentId: string;
  /** The change being delivered, for `publish`, `history` and `listener`. */
  readonly change?: PresenceChange;
}

/**
 * What `createPresenceService` takes: the machine, and any port to replace its in-memory default.
 *
 * Deduplication: an event with an `eventId` that the agent's record shows applied within `dedupWindowMs`
 * (default 15 minutes, by `clock`, counted from when it was first applied) is not applied again; `dispatch`
 * returns the earlier result with `duplicate: true`. The ids live in the agent's stored record, at most
 * `dedupMaxIds` per agent (default 100, oldest dropped first), so every process sharing the store sees them.
 * An id redelivered after the window, or pushed out by newer ids, is applied again like a new event.
 *
 * Forgetting: an agent signed out, holding no work, with no deadline pending and nothing applied for
 * `forgetSignedOutAfterMs` (default 24 hours, measured on `clock` from the state's latest event time), whose
 * remembered event ids are all past the dedup window, is removed from the store, the history, the roster index and
 * this service's per-agent bookkeeping; it then reads as never stored (Offline, version 0), and its next event
 * starts it again from version 1. The service checks at most once an hour of `clock`, as a dispatch comes in, and
 * `forgetSignedOut()` checks at once. Only a store with `forget` (the memory store has it) forgets anything;
 * `Infinity` never forgets.
 *
 * @category Service
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createMemoryPresenceStore, type PresenceServiceOptions } from 'agent-presence/service';
 * const options: PresenceServiceOptions = {
 *   machine: createPresenceMachine({}),
 *   store: createMemoryPresenceStore(),
 *   dedupWindowMs: 60 * 60_000,
 *   onError: (error, context) => console.error(context.kind, context.agentId, error),
 * };
 * ```
 */
export interface PresenceServiceOptions {
  readonly machine: PresenceMachine;
  /** Default: `createMemoryPresenceStore()`. */
  readonly store?: PresenceStore | undefined;
  /** Default: `createMemoryPublisher()`. */
  readonly publisher?: PresencePublisher | undefined;
  /** Default: `createSystemClock()`. */
  readonly clock?: Clock | undefined;
  /** Default: `createTimerScheduler({ clock })`. */
  readonly scheduler?: Scheduler | undefined;
  /** Default: `createMemoryHistoryStore()`. */
  readonly history?: HistoryStore | undefined;
  /** Attempts to apply and save an event before `dispatch` throws `PresenceConflictError` (default 10). */
  readonly maxAttempts?: number | undefined;
  /** How long an `eventId` is remembered, milliseconds by `clock` (default 900,000: 15 minutes). */
  readonly dedupWindowMs?: number | undefined;
  /** At most this many remembered event ids per agent (default 100). */
  readonly dedupMaxIds?: number | undefined;
  /**
   * How far an event's `at` may be ahead of `clock` (default {@link DEFAULT_MAX_CLOCK_SKEW_MS}, 10 s). An event
   * stamped further ahead is refused with `EVENT_IN_FUTURE` and changes nothing, deadlines included: one event from a
   * clock a year fast would otherwise move the agent's time for good (every later event late, wrap-ups ending in
   * the far future, sessions expired at once).
   */
  readonly maxClockSkewMs?: number | undefined;
  /**
   * Forget agents signed out (no work, nothing pending) for this long, milliseconds by `clock` (default
   * 86,400,000: 24 hours; `Infinity`: never). Needs a store with `forget`, as the memory store has.
   */
  readonly forgetSignedOutAfterMs?: number | undefined;
  /** Told about failures after a save (publisher, history, listeners, ticks) and unreadable records; default `console.error`. */
  readonly onError?: ((error: unknown, context: ServiceErrorContext) => void) | undefined;
}

/**
 * The presence service: every agent's state in a store, events applied one at a time per agent, presence
 * changes published, routing queries and time in status. Made by {@link createPresenceService}.
 *
 * @category Service
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService, type PresenceService } from 'agent-presence/service';
 * const service: PresenceService = createPresenceService({ machine: createPresenceMachine({}) });
 * await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
 * console.log((await service.get('agent-7')).presence.text); // Available
 * ```
 */
export interface PresenceService {
  /** The machine in use (the latest given to `reconfigure`). */
  readonly machine: PresenceMachine;
  /**
   * Applies one event to an agent and stores the result. Events of one agent run one after another, in call
   * order; across processes, a save that loses to another writer reloads and applies the event again (up to
   * `maxAttempts`, then `PresenceConflictError`, with nothing applied). After the save: the roster index is
   * updated, the agent's timer armed at `nextDeadline` (or cancelled), and a presence change goes to the
   * listeners, the history and the publisher. A refused event is stored only to remember its `eventId`; a
   * malformed one (`INVALID_EVENT`) is never stored.
   *
   * An event without `at` is stamped with the service's clock; one whose `at` is more than `maxClockSkewMs` ahead
   * of that clock is refused with `EVENT_IN_FUTURE`, and nothing is applied or stored.
   *
   * One item, one agent: over a store with `claimWork` (the memory and Redis stores), the work items an event adds to
   * the agent's `state.work` are claimed across every process sharing the store first; an item another agent holds
   * (or is being given to) refuses the event with `WORK_ITEM_TAKEN`, naming the item and the holder, and nothing is
   * applied or stored. The items that leave `state.work` are freed after the save, or by the save itself when the
   * store claims in its save (`saveClaimingWork`: one round trip; see docs/scale-out.md).
   *
   * When the store throws, the save's outcome is unknown (it may have been written before the connection dropped):
   * send the event again with the same `eventId`. If the first save was written, the redelivery returns its result
   * with `duplicate: true` and runs again what follows that save: the agent's timer is armed at the stored state's
   * next deadline, and the change the event made (rebuilt from the record, with the version it was saved under) goes
   * to the listeners (unless they already have that version or a later one), the history and the publisher. This
   * service skips that only for a save whose duties it ran itself, so the change is delivered at least once; a
   * redelivery to another process may deliver it twice, with the same `(agentId, generation, version)`. A timer's
   * `tick` that fails is sent again the same way by the service itself (after 1 s, doubling up to a minute).
   *
   * @param agentId - the agent
   * @param event - the event, `at` optional
   * @param options - a `precondition` the agent's state must meet for the event to apply (see {@link DispatchOptions})
   * @returns the transition, the stored version, and whether it was a redelivery (or declined)
   * @throws `PresenceConflictError` when every attempt lost to another writer; a store error as the store threw it
   */
  dispatch(agentId: string, event: DispatchEvent, options?: DispatchOptions): Promise<DispatchResult>;
  /**
   * Like `dispatch`, for untrusted input: checks it first as `parseEvent` does (the core's `readEvent`; no zod).
   * Takes the parsed JSON or JSON text; `at` may be left out (stamped with the service's clock), as with `dispatch`.
   *
   * @param agentId - the agent
   * @param input - anything claiming to be an event
   * @returns as `dispatch`
   * @throws `PresenceEventError` naming each bad field (the agent id, a getter that throws, a field of the event);
   *   nothing is loaded or stored then
   */
  dispatchRaw(agentId: string, input: unknown): Promise<DispatchResult>;
  /**
   * Takes in an agent's state that another process saved (from a change feed such as the Redis change stream):
   * the roster index keeps it unless it already has that version or a later one, and its presence change, if it
   * has one, goes to the `subscribe` listeners unless this service already delivered that version or a later one
   * of the agent (so a listener sees each agent's changes once, in version order; a change overtaken by a later
   * one it already saw is skipped). Nothing is stored, published or appended to the history.
   *
   * The update is checked whole before anything is touched: a malformed one throws and leaves the roster as it was.
   *
   * @param update - the agent, the saved state and version, and the change the save made
   * @returns whether the roster index or the listeners took anything from it
   * @throws `PresenceSnapshotError` naming each problem of the state; TypeError for a bad agent id, version or change
   */
  ingest(update: ExternalUpdate): boolean;
  /**
   * Starts over after the store lost data (Redis restarted without persistence, `FLUSHALL`, a failover that
   * dropped the last writes): versions start again lower then, and this service may hold agents' saves that are
   * gone. It drops the roster index and what it told the listeners, and reloads the roster from the store:
   * `findAvailable` waits for the reload, so an agent who is now Away (or no longer stored) is not offered from the
   * call on, and the listeners take each agent's next change whatever its version. The Redis follower calls it when
   * it finds a shard's data lost; call it yourself when your store tells you so. A listener may hear a change saved
   * just before the call again (the same generation and version). An agent listed by `unreadableAgents()` stays
   * listed (as first met, not reported again) only when the reload finds its record unreadable still: one whose
   * record was lost, or reads now, is listed no more.
   *
   * @returns how many agents the reloaded index holds
   */
  resync(): Promise<number>;
  /**
   * Reads an agent from the store (and refreshes the agent's roster entry with it). An agent never stored is
   * signed out, Offline, version 0.
   *
   * @param agentId - the agent
   * @returns state, resolved presence and version
   */
  get(agentId: string): Promise<AgentPresence>;
  /**
   * Calls `listener` with every presence change this service saves, in each agent's order, right after the save,
   * and with the changes of other processes given to `ingest`.
   * A listener that throws is reported to `onError` and does not affect the others.
   *
   * @param listener - called with each change
   * @returns a function that stops the calls
   */
  subscribe(listener: (change: PresenceChange) => void): () => void;
  /**
   * Who can take an item now, best first (see {@link RosterOrder} for the orders and their ties): the agents in
   * the bases (and presence ids) asked, not excluded, that `machine.canTake` accepts for the units and profile, as a
   * full scan would find them, at any mix of capacities. Every field of the query has a default
   * ({@link ROSTER_QUERY_DEFAULTS}): `findAvailable({})` gives the 10 agents with most free units among the
   * Available and Busy ones. Answers from the roster index, which this service keeps on every change it saves; the first call (or `rebuildRoster`) loads
   * every stored agent into it first. Agents changed by other processes are seen once this service loads them
   * again (a dispatch, `get`, or `rebuildRoster`) or is given their saves (`ingest`, as the Redis follower does).
   * Assign with a `precondition` (see {@link DispatchOptions}) when the answer may be stale. With a store that keeps
   * the roster itself (`PresenceStore.findAvailable`, as the Redis store does), the store answers instead, from the
   * records as stored now, and this service keeps no index (nor needs to follow other processes' saves).
   *
   * @param query - units, profile, allowed bases (and presence ids), agents excluded, limit and order
   * @returns at most `limit` agents
   * @throws TypeError naming each bad field of the query
   */
  findAvailable(query?: RosterQuery): Promise<RosterCandidate[]>;
  /**
   * Routes a work item: finds the best agents for it (`findAvailable` with the options' query, the item's units
   * and profile), and assigns it to one of them atomically — with a precondition checked inside the store's
   * compare-and-set, so an agent who filled up or left the bases asked since is not over-assigned — trying the
   * next candidate when one declines or refuses the item. Routers working at once spread over the best candidates
   * (`spread`); on a store that reserves (Redis), the route's read reserves its pick for at most `reserveMs`, and
   * routers in other processes try it last. With `order: 'roundRobin'` the rotation moves on to the agent routed to. See
   * {@link RouteOptions} and docs/routing.md.
   *
   * @param item - the work item: id, units, capacity profile
   * @param options - the roster query (bases, presence ids, agents to exclude, order) and how to route
   * @returns the agent given the item, or none and why
   * @throws TypeError naming each bad field
   */
  route(item: RouteItem, options?: RouteOptions): Promise<RouteResult>;
  /**
   * Milliseconds the agent spent in each presence and base status within a window, from the history, each
   * interval clipped to the window; the latest presence counts until `to`.
   *
   * @param agentId - the agent
   * @param window - `{ from, to }`, epoch milliseconds, `from ≤ to`
   * @returns time per presence id and per base, and the untracked rest
   */
  timeInStatus(agentId: string, window: TimeWindow): Promise<TimeInStatus>;
  /**
   * A report over a window for a team (`agentIds`) or every agent in the store: per agent, time in each presence and
   * base status (as `timeInStatus`), time signed in, occupancy (units held over capacity while signed in) and how
   * many items were assigned, released, missed and rejected; and the totals. Work counts and occupancy come from the
   * history's work entries (`HistoryStore.readWork`: the memory and Redis histories keep them); a history without
   * them gives time only. Agents are read 16 at a time.
   *
   * @param request - `{ agentIds?, from, to }`, epoch milliseconds, `from ≤ to`
   * @returns the report: `agents` in the order asked (or the store's), and `totals`
   * @throws TypeError naming each bad field
   */
  report(request: ReportRequest): Promise<PresenceReport>;
  /**
   * Swaps the machine (after a config change) for every later event, and recomputes the roster index under it
   * (capacities may have changed). Stored states are not rewritten: the machine resolves each agent's presence
   * at the agent's next event. Under the core's config rule, an agent holding a presence that became inactive or
   * was removed then falls back to the standard presence of the same base (source `config`).
   *
   * @param machine - the new machine
   */
  reconfigure(machine: PresenceMachine): void;
  /**
   * Loads every stored agent into the roster index (newer versions already indexed are kept).
   *
   * @returns how many agents the index holds afterwards
   */
  rebuildRoster(): Promise<number>;
  /**
   * Arms the timer of every stored agent with a pending deadline (a session to expire, a wrap-up to end…), as
   * after a restart: a service arms timers itself only as it saves states. An agent whose deadline has passed is
   * ticked at once, and a tick a process already sent is deduplicated by its id.
   *
   * @returns how many timers were armed
   */
  armTimers(): Promise<number>;
  /**
   * Forgets now every agent signed out for `forgetSignedOutAfterMs` (see {@link PresenceServiceOptions}): each is
   * checked again inside its serial queue and removed from the store with a compare-and-delete, then from the
   * history, the roster index and this service's per-agent bookkeeping. An agent signed in, holding work, with a
   * deadline pending, an event id still in the dedup window or a delivery waiting for a retry is kept. The service
   * runs this itself at most once an hour of its clock; call it to forget at a time of your choosing.
   *
   * @returns how many agents were forgotten (0 when the store has no `forget`, or the option is `Infinity`);
   *   a failure to forget one agent is reported to `onError` (kind `forget`) and the others go on
   */
  forgetSignedOut(): Promise<number>;
  /**
   * The agents whose stored record this service found unreadable (see {@link UnreadableRecordError}), oldest
   * first: met while listing the store (`rebuildRoster`, the first `findAvailable`, `armTimers`,
   * `forgetSignedOut`) or loading an agent (`dispatch`, `get`, a follower refreshing it). Each is reported to
   * `onError` (kind `unreadable`) when first met, kept out of the roster index (no routing to an agent nobody
   * can dispatch to), and listed here until its record reads again: repaired (`repairAgent`, here or in another
   * process), or saved by a release that reads it, or until a `resync()` finds it lost with the store's data. A
   * save heard through `ingest` lifts it when it is newer than the unreadable one (a later generation, whatever its
   * version). Kept in this process's memory; `rebuildRoster()` first to
   * look at the whole store.
   *
   * @returns the unreadable agents, with the error and when it was first met
   */
  unreadableAgents(): UnreadableAgent[];
  /**
   * Puts an agent whose stored record cannot be read back into a sane state, through the normal save: the
   * record is replaced by compare-and-set at the next version above the stored one, with a presence change
   * (from the presence the history last recorded, to the new one) that goes to the listeners, the history, the
   * publisher, and on Redis to the change stream, so every process hears it; the timer is armed at the new
   * state's deadline. The new state keeps what can still be read, rebuilt by the machine's rules at the service
   * clock's now: signed-in sessions, held work items (and the rest of a wrap-up), a manual presence, and the
   * remembered event ids that check; with nothing readable, the agent is signed out. A record that can be read
   * is left as it is (`repaired: false`).
   *
   * Needs a store with `readForRepair` (the memory and Redis stores have it). A record written by a newer
   * release (`schemaVersion` above this release's) is not replaced unless `replaceNewerSchema` is set: repair
   * it from a process of that release, or upgrade this one.
   *
   * @param agentId - the agent
   * @param options - `replaceNewerSchema`
   * @returns what was done, kept and left out
   * @throws `UnreadableRecordError` (`newerSchema: true`) for a newer release's record; TypeError for a bad
   *   agent id or a store without `readForRepair`; `PresenceConflictError` when other writers kept saving first
   */
  repairAgent(agentId: string, options?: RepairOptions): Promise<AgentRepair>;
  /**
   * Tries again every delivery (publisher or history) that failed, in each agent's order.
   *
   * @returns how many deliveries are still pending
   */
  flush(): Promise<number>;
  /**
   * Cancels every timer this service armed and waits for the dispatches in flight; later calls to `dispatch`
   * are refused.
   *
   * @returns when the service is idle
   */
  close(): Promise<void>;
}

/** How many agents a report reads at once. */
const REPORT_BATCH = 16;
/** The most agents a report may name. */
const MAX_REPORT_AGENTS = 10_000;
/** An agent listed as unreadable: reported from its history alone. */
const UNREAD = Symbol('unreadable');

/** A record that cannot be read stands for no record (its agent is reported from the history); other errors go on. */
function unlessUnreadable(error: unknown): undefined {
  if (error instanceof UnreadableRecordError) return undefined;
  throw error;
}

/**
 * A window's `from` and `to`, read once and checked: whole epoch milliseconds, `from ≤ to`.
 *
 * @throws TypeError naming each bad field (`prefix` before its name)
 */
function checkWindow(method: string, prefix: string, window: TimeWindow): TimeWindow {
  if (!isPlainObject(window))
    throw new TypeError(`${method}: ${prefix === '' ? 'the request' : prefix.slice(0, -1)} must be an object like { from, to } (got ${describeValue(window)})`);
  const { from, to } = window;
  const problems = [
    fieldRules.time(from) === undefined ? undefined : `${prefix}from ${fieldRules.time(from)}`,
    fieldRules.time(to) === undefined ? undefined : `${prefix}to ${fieldRules.time(to)}`,
  ].filter((p) => p !== undefined);
  if (problems.length === 0 && to < from) problems.push(`${prefix}to must not be before ${prefix}from (${from}) (got ${to})`);
  if (problems.length > 0) throw new TypeError(`${method}: ${problems.join('; ')}`);
  return { from, to };
}

/** A report's `agentIds`, checked, repeats dropped; undefined for every agent. */
function checkReportAgents(request: ReportRequest): readonly string[] | undefined {
  const { agentIds } = request;
  if (agentIds === undefined) return undefined;
  if (!Array.isArray(agentIds))
    throw new TypeError(`report: agentIds must be an array of agent ids, or left out for every agent (got ${describeValue(agentIds)})`);
  // The length read once, the ids by index (not by an iterator of the array's own, which may yield past the bound).
  const count = agentIds.length;
  if (count > MAX_REPORT_AGENTS) {
    throw new TypeError(`report: agentIds must name at most ${MAX_REPORT_AGENTS} agents (got ${count}): ask for the team in parts`);
  }
  const ids: unknown[] = Array.from({ length: count }, (_, i) => (agentIds as readonly unknown[])[i]);
  const problems = ids.flatMap((id, i) => {
    const problem = fieldRules.id(id);
    return problem === undefined ? [] : [`agentIds[${i}] ${problem}`];
  });
  if (problems.length > 0) throw new TypeError(`report: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
  return [...new Set(ids as string[])];
}

const DEFAULTS = {
  maxAttempts: 10,
  dedupWindowMs: 15 * 60_000,
  dedupMaxIds: 100,
  maxClockSkewMs: DEFAULT_MAX_CLOCK_SKEW_MS,
  forgetSignedOutAfterMs: 24 * 60 * 60_000,
} as const;

/** How often, at most, the service looks for agents to forget by itself (service clock). */
const FORGET_CHECK_EVERY_MS = 60 * 60_000;

/** After a timer's tick failed `retries` times before: wait 1 s, doubling up to a minute, then send it again. */
const tickRetryDelay = (retries: number): number => Math.min(1_000 * 2 ** retries, 60_000);

function optionIssues(options: PresenceServiceOptions): PresenceIssue[] {
  const issues: PresenceIssue[] = [];
  if (typeof options?.machine?.transition !== 'function') {
    issues.push({ path: ['machine'], message: 'must be a presence machine (from createPresenceMachine)' });
  }
  const whole = (name: 'maxAttempts' | 'dedupMaxIds', min: number) => {
    const value = options?.[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
      issues.push({ path: [name], message: `must be a whole number ≥ ${min} (got ${String(value)})` });
    }
  };
  whole('maxAttempts', 1);
  whole('dedupMaxIds', 0);
  for (const name of ['dedupWindowMs', 'maxClockSkewMs'] as const) {
    const value = options?.[name];
    const problem = value === undefined ? undefined : fieldRules.duration(value);
    if (problem !== undefined) issues.push({ path: [name], message: problem });
  }
  const forget = options?.forgetSignedOutAfterMs;
  const forgetProblem = forget === undefined || forget === Infinity ? undefined : fieldRules.duration(forget);
  if (forgetProblem !== undefined) issues.push({ path: ['forgetSignedOutAfterMs'], message: forgetProblem.replace(' (got', ' or Infinity (got') });
  return issues;
}

/** The ids of the work items `after` holds and `before` does not (an assignment, an offer: whatever the event). */
function workAdded(before: PresenceState, after: PresenceState): string[] {
  if (before.work === after.work) return [];
  const held = new Set(before.work.map((item) => item.workItemId));
  return after.work.map((item) => item.workItemId).filter((id) => !held.has(id));
}

/** The work item ids a record as stored names (`state.work[].workItemId`), read as far as it can be: none when it cannot. */
function namedWorkItems(stored: unknown): string[] {
  try {
    const record: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
    const work: unknown = isPlainObject(record) && isPlainObject(record.state) ? record.state.work : undefined;
    if (!Array.isArray(work)) return [];
    return work.flatMap((item: unknown) =>
      isPlainObject(item) && typeof item.workItemId === 'string' && fieldRules.id(item.workItemId) === undefined ? [item.workItemId] : [],
    );
  } catch {
    return [];
  }
}

/** The outcome to remember with an event id: the transition without its state, plain JSON. */
function outcomeOf(transition: Transition): EventOutcome {
  return {
    presence: transition.presence,
    changed: transition.changed,
    ...(transition.rejection !== undefined ? { rejection: transition.rejection } : {}),
    ...(transition.late !== undefined ? { late: transition.late } : {}),
    ...(transition.nextDeadline !== undefined ? { nextDeadline: transition.nextDeadline } : {}),
  };
}

/**
 * Creates the presence service over a machine and the host's ports (each defaults to its in-memory adapter).
 *
 * Delivery promise: a presence change is handed to the publisher and the history only after it is saved, once
 * per change, in each agent's order. A publisher or history that throws loses nothing: the state stays saved,
 * `onError` is told, and the change is tried again before that agent's next change goes out (or at `flush`), so
 * delivery is at least once; consumers drop repeats by `(agentId, generation, version)`. A save whose outcome its
 * caller never heard (the store threw after writing, or the process died after the save) is delivered when its
 * event is sent again with the same `eventId`: the redelivery runs what followed the save (see `dispatch`). Changes
 * waiting for a retry live in this process's memory: for delivery that survives a crash without a redelivery, have
 * the store write an outbox row in the same transaction (docs/adapters.md).
 *
 * @param options - the machine, the ports, retry and dedup settings
 * @returns the service
 * @throws TypeError naming each bad option
 * @category Service
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService } from 'agent-presence/service';
 * const service = createPresenceService({ machine: createPresenceMachine({ defaultProfile: { capacity: 100 } }) });
 * service.subscribe((c) => console.log(`${c.agentId}: ${c.from.text} → ${c.to.text}`));
 * await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });            // agent-7: Offline → Available
 * await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000 }); // agent-7: Available → Busy
 * const [best] = await service.findAvailable({ units: 40, bases: ['Available', 'Busy'], limit: 5, order: 'mostFree' });
 * console.log(best?.agentId, best?.freeUnits); // agent-7 60
 * ```
 */
export function createPresenceService(options: PresenceServiceOptions): PresenceService {
  const issues = optionIssues(options);
  if (issues.length > 0) throw new TypeError(formatIssues(issues, 'createPresenceService: invalid options'));
  let machine = options.machine;
  const store = options.store ?? createMemoryPresenceStore();
  const publisher = options.publisher ?? createMemoryPublisher();
  const clock = options.clock ?? createSystemClock();
  const scheduler = options.scheduler ?? createTimerScheduler({ clock });
  const history = options.history ?? createMemoryHistoryStore();
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  const maxClockSkewMs = options.maxClockSkewMs ?? DEFAULTS.maxClockSkewMs;
  const dedup: DedupPolicy = {
    windowMs: options.dedupWindowMs ?? DEFAULTS.dedupWindowMs,
    maxIds: options.dedupMaxIds ?? DEFAULTS.dedupMaxIds,
  };
  const forgetting: ForgetPolicy = {
    signedOutForMs: options.forgetSignedOutAfterMs ?? DEFAULTS.forgetSignedOutAfterMs,
    dedupWindowMs: dedup.windowMs,
  };
  const onError =
    options.onError ??
    ((error: unknown, context: ServiceErrorContext) =>
      console.error(`agent-presence service: ${context.kind} failed for agent ${JSON.stringify(context.agentId)}`, error));

  const serial = createSerialQueue();
  const roster = new RosterIndex(machine);
  /** The store keeps the roster (written by each save, read by its findAvailable): the in-memory index stays empty. */
  const storeRoutes = typeof store.findAvailable === 'function';
  let rosterLoaded: Promise<number> | undefined;
  const listeners = new Set<(change: PresenceChange) => void>();
  /** Per agent, the latest save whose change went to the listeners. */
  const notified = new Map<string, SavePoint>();
  /**
   * Per agent, the versions (one run, in one generation) whose after-save duties this service ran: a redelivery of
   * the event of such a version runs them no more. Any other redelivery runs them again (see `redeliver`).
   */
  const settled = new Map<string, { generation: StoreGeneration | undefined; lo: number; hi: number }>();
  const armed = new Set<string>();
  /** Agents whose stored record could not be read, until it reads again. */
  const unreadable = new Map<string, UnreadableAgent>();
  let closed = false;

  const report = (kind: ServiceErrorContext['kind'], agentId: string, error: unknown, change?: PresenceChange) => {
    try {
      onError(error, change === undefined ? { kind, agentId } : { kind, agentId, change });
    } catch {
      // onError itself failed: nothing more can be done about it here
    }
  };
  const published = createDeliveryQueue(
    (change) => publisher.publish(change),
    (error, change) => report('publish', change.agentId, error, change),
  );
  const recorded = createDeliveryQueue(
    (change) => history.append(change),
    (error, change) => report('history', change.agentId, error, change),
  );
  /** Work entries for a history that keeps them (`appendWork`), after the changes of the same save. */
  const workRecorded = createDeliveryQueue<WorkHistoryEntry>(
    (entry) => history.appendWork?.(entry),
    (error, entry) => report('history', entry.agentId, error),
  );

  const checkAgentId = (method: string, agentId: string) => {
    const problem = fieldRules.id(agentId);
    if (problem !== undefined) throw new TypeError(`${method}: agentId ${problem}`);
  };

  /** An unreadable record: told once, kept out of the roster (nobody can dispatch to it), listed until it reads again. */
  const noteUnreadable = (error: UnreadableRecordError) => {
    roster.forget(error.agentId);
    const known = unreadable.get(error.agentId);
    unreadable.set(error.agentId, { agentId: error.agentId, error, since: known?.since ?? clock.now() });
    if (known === undefined) report('unreadable', error.agentId, error);
  };

  /** `store.load`, an unreadable record (`PresenceSnapshotError` from a store of one's own too) noted and thrown as `UnreadableRecordError`. */
  const loadRecord = async (agentId: string): Promise<VersionedRecord | undefined> => {
    let loaded: VersionedRecord | undefined;
    try {
      loaded = await store.load(agentId);
    } catch (error) {
      const unread =
        error instanceof UnreadableRecordError ? error : error instanceof PresenceSnapshotError ? new UnreadableRecordError(agentId, error) : undefined;
      if (unread === undefined) throw error;
      noteUnreadable(unread);
      throw unread;
    }
    unreadable.delete(agentId);
    return loaded;
  };

  const index = (agentId: string, loaded: VersionedRecord | undefined) => {
    if (storeRoutes) return;
    if (loaded !== undefined && loaded.record.state.agentId === agentId)
      roster.upsert(loaded.record.state, loaded.version, loaded.generation, loaded.record.routing);
  };

  /**
   * What a save tells the store beyond the change: where routing finds the agent (a store that routes), and whether
   * the save is quiet (no presence change, and the same base, presence, work and `since`: a heartbeat), which a store
   * with a change feed may leave out of it.
   */
  const extraContext = (
    before: PresenceState | undefined,
    after: PresenceState,
    changed: boolean,
    marks?: RoutingMarks,
  ): Pick<SaveContext, 'quiet' | 'roster'> => {
    const quiet =
      before !== undefined &&
      !changed &&
      before.base === after.base &&
      before.presenceId === after.presenceId &&
      before.since === after.since &&
      before.work === after.work;
    return { ...(quiet ? { quiet: true as const } : {}), ...(storeRoutes ? { roster: roster.placementOf(after, marks) } : {}) };
  };

  /**
   * Keeps the agent's one timer at `deadline`, or none. A tick that fails (its save's outcome unknown) is sent
   * again, the same event, after `retryDelay(retries)`, unless the agent's timer was armed again meanwhile.
   */
  const arm = (agentId: string, deadline: number | undefined, at = deadline, retries = 0) => {
    if (deadline !== undefined && at !== undefined && !closed) {
      armed.add(agentId);
      scheduler.set(agentId, at, () => {
        armed.delete(agentId);
        if (closed) return;
        dispatch(agentId, tickEvent(deadline)).catch((error: unknown) => {
          report('tick', agentId, error);
          if (!armed.has(agentId)) arm(agentId, deadline, clock.now() + tickRetryDelay(retries), retries + 1);
        });
      });
    } else {
      armed.delete(agentId);
      scheduler.cancel(agentId);
    }
  };

  /** Notes that the after-save duties of the agent's save `version` ran here. */
  const settle = (agentId: string, version: number, generation: StoreGeneration | undefined) => {
    const run = settled.get(agentId);
    if (run !== undefined && run.generation === generation && version >= run.lo && version <= run.hi + 1) run.hi = Math.max(run.hi, version);
    else settled.set(agentId, { generation, lo: version, hi: version });
  };
  const isSettled = (agentId: string, version: number, generation: StoreGeneration | undefined) => {
    const run = settled.get(agentId);
    return run !== undefined && run.generation === generation && version >= run.lo && version <= run.hi;
  };

  const notify = (change: PresenceChange) => {
    const held = notified.get(change.agentId);
    if (held === undefined || compareSaves(change, held) > 0) notified.set(change.agentId, { version: change.version, generation: change.generation });
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        report('listener', change.agentId, error, change);
      }
    }
  };

  /** The presence change a transition makes, without its version; undefined when the presence id stays. */
  const changeOf = (
    agentId: string,
    before: PresenceState,
    used: PresenceMachine,
    transition: Transition,
    eventId: string | undefined,
  ): Omit<PresenceChange, 'version'> | undefined => {
    if (!transition.changed) return undefined;
    const presence = transition.presence;
    return {
      agentId,
      from: used.presenceOf(before),
      to: presence,
      at: presence.since,
      source: presence.source,
      ...(eventId !== undefined ? { eventId } : {}),
    };
  };

  /** After a save: the index, the timer, the listeners, then history and publisher (in that agent's order). */
  const afterSave = async (
    agentId: string,
    before: PresenceState,
    transition: Transition,
    pending: Omit<PresenceChange, 'version'> | undefined,
    version: number,
    generation: StoreGeneration | undefined,
    marks?: RoutingMarks,
    work: readonly Omit<WorkHistoryEntry, 'version' | 'generation'>[] = [],
  ) => {
    if (!storeRoutes) roster.upsert(transition.state, version, generation, marks);
    // A refused event leaves the timer alone, unless it applied deadlines that came due (its state is new then).
    if (transition.rejection === undefined || transition.state !== before) arm(agentId, transition.nextDeadline);
    if (pending !== undefined) {
      const change: PresenceChange = { ...pending, version, ...(generation !== undefined ? { generation } : {}) };
      notify(change);
      recorded.push(change);
      published.push(change);
    }
    if (history.appendWork !== undefined)
      for (const entry of work) workRecorded.push({ ...entry, version, ...(generation !== undefined ? { generation } : {}) });
    settle(agentId, version, generation);
    await recorded.drain(agentId);
    await workRecorded.drain(agentId);
    await published.drain(agentId);
  };

  /**
   * A redelivered event: what followed its save runs again unless it ran here. Whoever sent it again may not have
   * heard how its save went (the store threw after writing, or this process died after the save), and then nothing
   * after the save ran: no timer for the new deadline, no change to the listeners, the history or the publisher.
   * The timer is armed at the stored state's next deadline (the agent's latest); the change is rebuilt from the
   * remembered id (its `from`, the earlier result's presence, the version its save stored).
   */
  const redeliver = async (agentId: string, state: PresenceState, version: number, generation: StoreGeneration | undefined, earlier: SeenEvent) => {
    const savedAt = earlier.version;
    // The generation its save was made in: the record's, unless the store has moved on since (see SeenEvent).
    const savedIn = earlier.generation ?? generation;
    if (savedAt !== undefined && isSettled(agentId, savedAt, savedIn)) return;
    arm(agentId, machine.nextDeadline(state));
    const stored = savedAt !== undefined && savedAt >= 1 && (savedIn !== generation || savedAt <= version);
    if (earlier.result.changed && earlier.from !== undefined && stored) {
      const to = earlier.result.presence;
      const change: PresenceChange = {
        agentId,
        from: earlier.from,
        to,
        at: to.since,
        source: to.source,
        version: savedAt,
        eventId: earlier.eventId,
        ...(savedIn !== undefined ? { generation: savedIn } : {}),
      };
      const held = notified.get(agentId);
      if (held === undefined || compareSaves(change, held) > 0) notify(change);
      recorded.push(change);
      published.push(change);
    }
    // A save of an older generation leaves the run of the current one as it is.
    if (savedAt !== undefined && savedIn === generation) settle(agentId, savedAt, generation);
    await recorded.drain(agentId);
    await published.drain(agentId);
  };

  /** Frees the agent's claims of items it no longer holds; a failure is told to onError (the claims go stale, blocking nothing). */
  const freeClaims = async (agentId: string, workItemIds: readonly string[]) => {
    if (workItemIds.length === 0 || store.freeWork === undefined) return;
    try {
      await store.freeWork(agentId, workItemIds);
    } catch (error) {
      report('claim', agentId, error);
    }
  };

  /** Refuses an event stamped too far ahead of the service's clock, before anything (deadlines included) applies. */
  const tooFarAhead = (agentId: string, record: PresenceRecord, at: number, version: number): DispatchResult | undefined => {
    const ahead = at - clock.now();
    if (ahead <= maxClockSkewMs) return undefined;
    const deadline = machine.nextDeadline(record.state);
    return {
      state: record.state,
      presence: machine.presenceOf(record.state),
      changed: false,
      rejection: {
        code: 'EVENT_IN_FUTURE',
        message: `Agent ${JSON.stringify(agentId)}: at ${at} is ${ahead} ms ahead of the service's clock, past maxClockSkewMs (${maxClockSkewMs}): leave at out to have the service stamp it`,
      },
      ...(deadline !== undefined ? { nextDeadline: deadline } : {}),
      version,
      duplicate: false,
    };
  };

  /** `applyEvent`, then the claims it made and did not save freed (a refusal, a decline, a failure after claiming). */
  const apply = async (agentId: string, event: PresenceEvent, precondition: DispatchOptions['precondition']): Promise<DispatchResult> => {
    const claimed = new Set<string>();
    try {
      return await applyEvent(agentId, event, precondition, claimed);
    } finally {
      await freeClaims(agentId, [...claimed]);
    }
  };

  const applyEvent = async (
    agentId: string,
    event: PresenceEvent,
    precondition: DispatchOptions['precondition'],
    claimed: Set<string>,
  ): Promise<DispatchResult> => {
    // A malformed event reaches the machine as given, to be refused there with INVALID_EVENT.
    const valid = readEvent(event).event !== undefined;
    const start = valid ? event.at : 0;
    // The first attempt may start from the record as this process last saw it (no round trip): a stale one costs
    // a conflict (not counted as an attempt), after which the store holds the current one; an answer without a save
    // (declined, refused, a redelivery) is given only from a record just read.
    let unconfirmed = false;
    let fresh = false;
    /** The claims of the last attempt, when its save lost to another writer (not to a claim taken over): used again. */
    let kept: readonly WorkClaim[] | undefined;
    for (let attempt = 1; ; attempt++) {
      const cached = fresh ? undefined : store.loadCached?.(agentId);
      unconfirmed = cached !== undefined && attempt === 1 && !unconfirmed;
      const loaded = cached ?? (await loadRecord(agentId));
      fresh = false;
      /** Reads the record again and starts the attempt over, when the answer would rest on a record not confirmed. */
      const confirm = (): boolean => {
        if (!unconfirmed) return false;
        fresh = true;
        attempt--;
        return true;
      };
      index(agentId, loaded);
      const version = loaded?.version ?? 0;
      const generation = loaded?.generation;
      const record: PresenceRecord =
        loaded === undefined
          ? { state: machine.initialState(agentId, Math.min(start, clock.now())), seen: [] }
          : {
              state: loaded.record.state,
              seen: seenAtVersion(loaded.record.seen, version, loaded.generation),
              ...(loaded.record.routing !== undefined ? { routing: loaded.record.routing } : {}),
            };
      if (valid) {
        const refused = tooFarAhead(agentId, record, start, version);
        if (refused !== undefined) {
          if (confirm()) continue;
          return refused;
        }
      }
      const used = machine;
      const transition = used.transition(record.state, event);
      if (transition.rejection?.code === 'INVALID_EVENT') return { ...transition, version, duplicate: false };
      const eventId = event.eventId;
      const now = clock.now();
      if (eventId !== undefined) {
        const earlier = findSeen(record.seen, eventId, now, dedup);
        if (earlier !== undefined) {
          if (confirm()) continue;
          await redeliver(agentId, record.state, version, generation, earlier);
          return { ...earlier.result, state: record.state, version, duplicate: true };
        }
      } else if (transition.rejection !== undefined && transition.state === record.state) {
        if (confirm()) continue;
        return { ...transition, version, duplicate: false }; // refused, and no deadline came due: nothing to save
      }
      if (precondition !== undefined) {
        // The state the event meets: the stored one with the deadlines due by the event's time applied.
        const current = used.transition(record.state, { type: 'tick', at: start }).state;
        if (!precondition(current, used)) {
          // A claim this agent may hold on the items from an earlier try whose outcome was not heard: freed. (A store
          // that claims in its save leaves none: an item is claimed there only with the record that holds it.)
          if (store.freeWork !== undefined && store.saveClaimingWork === undefined) {
            for (const id of workAdded(record.state, transition.state)) claimed.add(id);
          }
          if (confirm()) continue;
          const presence = used.presenceOf(record.state);
          const deadline = used.nextDeadline(record.state);
          return {
            state: record.state,
            presence,
            changed: false,
            ...(deadline !== undefined ? { nextDeadline: deadline } : {}),
            version,
            duplicate: false,
            declined: true,
          };
        }
      }
      /** The refusal of an item another agent holds (or is being given): nothing applied or stored. */
      const taken = (claim: { readonly workItemId: string; readonly holder: string; readonly confirmed: boolean }): DispatchResult => {
        const deadline = used.nextDeadline(record.state);
        const holding = claim.confirmed ? 'is held by' : 'is being assigned to';
        const then = claim.confirmed ? `release it from ${JSON.stringify(claim.holder)} first` : 'wait for that assignment to end';
        return {
          state: record.state,
          presence: used.presenceOf(record.state),
          changed: false,
          rejection: {
            code: 'WORK_ITEM_TAKEN',
            message: `Agent ${JSON.stringify(agentId)}: workItemId ${JSON.stringify(claim.workItemId)} ${holding} agent ${JSON.stringify(claim.holder)} (a work item goes to one agent at a time): ${then}, or assign another item`,
          },
          ...(deadline !== undefined ? { nextDeadline: deadline } : {}),
          version,
          duplicate: false,
        };
      };
      // One item, one agent: the items the event adds (whatever the event) are claimed across the store, in the save
      // itself when the store can (`saveClaimingWork`: one round trip), else first.
      const inSave = store.saveClaimingWork !== undefined;
      const added = store.claimWork === undefined && !inSave ? [] : workAdded(record.state, transition.state);
      const removed = inSave ? workAdded(transition.state, record.state) : [];
      let claims: readonly WorkClaim[] | undefined;
      const again =
        kept !== undefined && added.every((id) => kept!.some((c) => c.workItemId === id)) ? kept.filter((c) => added.includes(c.workItemId)) : undefined;
      kept = undefined;
      if (inSave) {
        // Claimed and freed by the save.
      } else if (again !== undefined && added.length > 0) claims = again;
      else if (added.length > 0) {
        // Freed at the end unless saved, even when the claim's outcome is not heard (the store threw).
        for (const id of added) claimed.add(id);
        const claim = await store.claimWork!(agentId, added);
        if (!claim.ok) {
          for (const id of added) claimed.delete(id); // freed by the store already
          if (confirm()) continue;
          return taken(claim);
        }
        claims = claim.claims;
      }
      const pending = changeOf(agentId, record.state, used, transition, eventId);
      const work = workEntriesOf(agentId, event, used, record.state, transition);
      // Version 0: the version this save stores, read as such from the record it writes (see seenAtVersion).
      const entry: SeenEvent | undefined =
        eventId === undefined
          ? undefined
          : { eventId, seenAt: now, result: outcomeOf(transition), version: 0, ...(pending !== undefined ? { from: pending.from } : {}) };
      const seen = rememberSeen(record.seen, entry, now, dedup);
      const marks = nextMarks(record.state, transition.state, record.routing);
      const context: SaveContext = {
        ...(pending !== undefined ? { change: pending } : {}),
        ...(transition.nextDeadline !== undefined ? { nextDeadline: transition.nextDeadline } : {}),
        ...(eventId !== undefined ? { eventId } : {}),
        ...extraContext(loaded?.record.state, transition.state, pending !== undefined, marks),
        ...(claims !== undefined ? { claims } : {}),
        ...(work.length > 0 ? { work } : {}),
      };
      const next: PresenceRecord = { state: transition.state, seen, ...(marks !== undefined ? { routing: marks } : {}) };
      const saved =
        inSave && (added.length > 0 || removed.length > 0)
          ? await store.saveClaimingWork!(agentId, next, version, context, { added, removed })
          : await store.save(agentId, next, version, context);
      // Refused after the compare-and-set passed: the record is the stored one, nothing was written.
      if (!saved.ok && 'taken' in saved) return taken(saved);
      if (!saved.ok) {
        // Another writer saved the agent: the claims hold still. A conflict at the same version may be a claim taken over.
        if (saved.currentVersion !== undefined && saved.currentVersion !== version) kept = claims;
        // A conflict on a record not confirmed is not another writer winning a race: it was stale.
        if (unconfirmed) attempt--;
        else if (attempt >= maxAttempts) throw new PresenceConflictError(agentId, attempt);
        continue;
      }
      for (const id of added) claimed.delete(id);
      // Work that left the agent (released, wrap-up ended, signed out: whatever the event): its claims are freed (by
      // the save itself with `saveClaimingWork`).
      if (store.freeWork !== undefined && !inSave) for (const id of workAdded(transition.state, record.state)) claimed.add(id);
      await afterSave(agentId, record.state, transition, pending, saved.version, saved.generation, marks, work);
      return { ...transition, version: saved.version, duplicate: false };
    }
  };

  const dispatch = (agentId: string, input: DispatchEvent, options?: DispatchOptions): Promise<DispatchResult> => {
    if (closed) return Promise.reject(new Error('dispatch: the presence service is closed'));
    try {
      checkAgentId('dispatch', agentId);
      if (options?.precondition !== undefined && typeof options.precondition !== 'function') {
        throw new TypeError(`dispatch: options.precondition must be a function (got ${typeof options.precondition})`);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    // Read once, here: the stamped, checked copy is what every attempt applies (a malformed event goes on as given).
    const { event } = readEvent(stamp(input));
    forgetIfDue();
    return serial.run(agentId, () => apply(agentId, event ?? (input as PresenceEvent), options?.precondition));
  };

  /** The event with `at` from the service's clock when it has none; anything else as given, for the check to name. */
  const stamp = (input: unknown): unknown => {
    try {
      return isPlainObject(input) && input.at === undefined ? { ...input, at: clock.now() } : input;
    } catch {
      return input; // a getter or proxy that throws: readEvent names it
    }
  };

  const armTimers = async (): Promise<number> => {
    let count = 0;
    for await (const stored of store.list(noteUnreadable)) {
      const deadline = machine.nextDeadline(stored.record.state);
      if (deadline === undefined) continue;
      arm(stored.agentId, deadline);
      count++;
    }
    return count;
  };

  const rebuildRoster = async (): Promise<number> => {
    let listed = 0;
    for await (const stored of store.list(noteUnreadable)) {
      unreadable.delete(stored.agentId);
      index(stored.agentId, stored);
      if (storeRoutes && stored.record.state.agentId === stored.agentId) listed++;
    }
    return storeRoutes ? listed : roster.size;
  };

  /** Removes one agent if it is still forgettable, checked in its serial queue, the store first. */
  const forgetAgent = (agentId: string): Promise<boolean> =>
    serial.run(agentId, async () => {
      const loaded = await loadRecord(agentId);
      if (loaded === undefined || recorded.has(agentId) || workRecorded.has(agentId) || published.has(agentId)) return false;
      if (!isForgettable(loaded.record, machine, clock.now(), forgetting)) return false;
      if ((await store.forget?.(agentId, loaded.version)) !== true) return false;
      roster.forget(agentId);
      notified.delete(agentId);
      settled.delete(agentId);
      if (armed.delete(agentId)) scheduler.cancel(agentId);
      await history.forget?.(agentId);
      return true;
    });

  const forgetSignedOut = async (): Promise<number> => {
    if (store.forget === undefined || forgetting.signedOutForMs === Infinity) return 0;
    let count = 0;
    for await (const stored of store.list(noteUnreadable)) {
      if (closed) break;
      if (!isForgettable(stored.record, machine, clock.now(), forgetting)) continue;
      try {
        if (await forgetAgent(stored.agentId)) count++;
      } catch (error) {
        report('forget', stored.agentId, error);
      }
    }
    return count;
  };

  /** The presence the history last recorded for the agent (the initial one when it has none, or cannot be read). */
  const lastRecordedPresence = async (agentId: string, now: number): Promise<ResolvedPresence> => {
    try {
      const last = (await history.read(agentId, { from: now, to: now })).at(-1);
      if (last !== undefined) return last.to;
    } catch {
      // A history that cannot be read either: the change then starts from the initial presence.
    }
    return machine.presenceOf(machine.initialState(agentId));
  };

  const repairAgent = (agentId: string, options: RepairOptions = {}): Promise<AgentRepair> => {
    if (closed) return Promise.reject(new Error('repairAgent: the presence service is closed'));
    try {
      checkAgentId('repairAgent', agentId);
      if (typeof store.readForRepair !== 'function') {
        throw new TypeError('repairAgent: the store has no readForRepair (the memory and Redis stores have it; see PresenceStore.readForRepair)');
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return serial.run(agentId, async () => {
      for (let attempt = 1; ; attempt++) {
        const found = await store.readForRepair!(agentId);
        const none = { sessions: 0, work: 0, choice: false, seen: 0 };
        if (found === undefined) {
          unreadable.delete(agentId);
          const state = machine.initialState(agentId);
          return { agentId, repaired: false, version: 0, state, presence: machine.presenceOf(state), kept: none, dropped: [] };
        }
        let problem = found.problem;
        let readable: PresenceRecord | undefined;
        try {
          const record = restoreRecord(found.record);
          if (record.state.agentId === agentId) readable = record;
          else problem ??= `the record holds the state of agent ${JSON.stringify(record.state.agentId)}`;
        } catch (error) {
          problem ??= error instanceof Error ? error.message : String(error);
        }
        if (readable !== undefined && problem === undefined) {
          unreadable.delete(agentId);
          index(agentId, { record: readable, version: found.version, ...(found.generation !== undefined ? { generation: found.generation } : {}) });
          const state = readable.state;
          return { agentId, repaired: false, version: found.version, state, presence: machine.presenceOf(state), kept: none, dropped: [] };
        }
        const why = problem ?? 'it cannot be read';
        const unread = new UnreadableRecordError(agentId, new Error(why), { version: found.version, record: found.record });
        if (unread.newerSchema && options.replaceNewerSchema !== true) {
          noteUnreadable(unread);
          throw unread;
        }
        const now = clock.now();
        // A record that reads, where the store found something else wrong (a version it had to set aside): kept whole.
        const {
          record: salvaged,
          kept,
          dropped,
        } = readable === undefined
          ? salvageRecord(found.record, agentId, machine, now, dedup.maxIds)
          : {
              record: readable,
              kept: {
                sessions: readable.state.sessions.length,
                work: readable.state.work.length,
                choice: readable.state.choice?.source === 'manual',
                seen: readable.seen.length,
              },
              dropped: [],
            };
        // Remembered ids saved as "the version of this record" (0) keep the version they were saved at.
        const record = { state: salvaged.state, seen: seenAtVersion(salvaged.seen, found.version, found.generation) };
        const presence = machine.presenceOf(record.state);
        const pending: Omit<PresenceChange, 'version'> = {
          agentId,
          from: await lastRecordedPresence(agentId, now),
          to: presence,
          at: presence.since,
          source: presence.source,
        };
        const nextDeadline = machine.nextDeadline(record.state);
        const saved = await store.save(agentId, record, found.version, {
          change: pending,
          ...(nextDeadline !== undefined ? { nextDeadline } : {}),
          ...(storeRoutes ? { roster: roster.placementOf(record.state) } : {}),
        });
        if (!saved.ok) {
          if (attempt >= maxAttempts) throw new PresenceConflictError(agentId, attempt);
          continue;
        }
        unreadable.delete(agentId);
        const transition: Transition = { state: record.state, presence, changed: true, ...(nextDeadline !== undefined ? { nextDeadline } : {}) };
        // The work items the broken record names that the repaired one does not hold: their claims are freed.
        const still = new Set(record.state.work.map((item) => item.workItemId));
        await freeClaims(
          agentId,
          namedWorkItems(found.record).filter((id) => !still.has(id)),
        );
        await afterSave(agentId, record.state, transition, pending, saved.version, saved.generation);
        return { agentId, repaired: true, version: saved.version, state: record.state, presence, problem: why, replaced: found.record, kept, dropped };
      }
    });
  };

  /** At most once per FORGET_CHECK_EVERY_MS of the clock, forgets in the background; `close` waits for it. */
  let nextForgetCheck = clock.now() + FORGET_CHECK_EVERY_MS;
  let forgettingNow: Promise<unknown> | undefined;
  const forgetIfDue = (): void => {
    if (forgettingNow !== undefined || store.forget === undefined || forgetting.signedOutForMs === Infinity) return;
    const now = clock.now();
    if (!(now >= nextForgetCheck)) return;
    nextForgetCheck = now + FORGET_CHECK_EVERY_MS;
    forgettingNow = forgetSignedOut()
      .catch((error: unknown) => report('forget', '', error))
      .finally(() => (forgettingNow = undefined));
  };

  /** The agents `route` is giving an item to now, and how many: tried last by the other routes meanwhile. */
  const routing = new Map<string, number>();
  /** The roundRobin rotation: the store's, shared by every process on it, else this service's own. */
  let rotationAt: string | undefined;
  const rotation = async (agentId?: string): Promise<string | undefined> => {
    if (store.rotation !== undefined) return store.rotation(agentId);
    if (agentId !== undefined) rotationAt = agentId;
    return rotationAt;
  };

  /** `findAvailable`, and for `route` (`reserve`) the candidates with what the store reserved for it. */
  const findCandidates = async (query: RosterQuery | undefined, reserve?: RosterReserve): Promise<RouteCandidate[]> => {
    let resolved = resolveRosterQuery(query);
    if (resolved.order === 'roundRobin' && resolved.after === undefined) {
      const after = await rotation();
      if (after !== undefined) resolved = { ...resolved, after };
    }
    if (storeRoutes) {
      const request = resolved.profile === undefined ? { units: resolved.units } : { units: resolved.units, profile: resolved.profile };
      const used = machine;
      const lookup: RosterLookup = {
        accepts: (agentId, state) => state.agentId === agentId && !unreadable.has(agentId) && used.canTake(state, request),
        onUnreadable: noteUnreadable,
      };
      const matches = await (reserve === undefined ? store.findAvailable!(resolved, lookup) : store.findAvailable!(resolved, lookup, reserve));
      return matches.map(({ record, version, reservation, reservedElsewhere }) => {
        const candidate = candidateOf(used, record.state, record.routing, version);
        if (reserve === undefined) return candidate;
        return reservation !== undefined ? { ...candidate, reservation } : reservedElsewhere === true ? { ...candidate, reservedElsewhere } : candidate;
      });
    }
    if (rosterLoaded === undefined) {
      rosterLoaded = rebuildRoster();
      rosterLoaded.catch(() => (rosterLoaded = undefined));
    }
    await rosterLoaded;
    return roster.query(resolved);
  };
  const findAvailable = (query?: RosterQuery): Promise<RosterCandidate[]> => findCandidates(query);
  /**
   * Gives back a reservation `route`'s read took (never throws, even when a store's method throws at once or
   * returns no promise: `route` calls it after its dispatch, whose outcome must reach the caller; one not given
   * back lapses).
   */
  const releaseReservation = (agentId: string, reservation: string): void => {
    try {
      void Promise.resolve(store.releaseReservation?.(agentId, reservation)).catch(() => {});
    } catch {
      // Not given back: it lapses at the end of its lease.
    }
  };

  return {
    get machine() {
      return machine;
    },

    dispatch,

    async dispatchRaw(agentId, input) {
      const idProblem = fieldRules.id(agentId);
      if (idProblem !== undefined) throw new PresenceEventError([{ path: ['agentId'], message: idProblem }]);
      let event: PresenceEvent;
      try {
        event = parseEvent(stamp(parseJsonText(input, (issues) => new PresenceEventError(issues))));
      } catch (error) {
        if (error instanceof PresenceEventError) throw error;
        // A getter or proxy threw inside the check: what it threw is not trusted, not even its message.
        throw new PresenceEventError([{ path: [], message: 'could not be read (a getter or proxy threw)' }]);
      }
      return dispatch(agentId, event);
    },

    ingest(update) {
      checkAgentId('ingest', update?.agentId);
      const { agentId, version, change } = update;
      // Checked whole first: a malformed state must not cost the agent its roster entry.
      const problems: PresenceIssue[] = [];
      const state = checkPresenceState(update.state, ['state'], problems);
      if (problems.length > 0) throw new PresenceSnapshotError(problems);
      if (state.agentId !== agentId)
        throw new TypeError(`ingest: state.agentId must be the agent's id ${JSON.stringify(agentId)} (got ${JSON.stringify(state?.agentId)})`);
      if (!(Number.isInteger(version) && version >= 1)) throw new TypeError(`ingest: version must be a whole number ≥ 1 (got ${String(version)})`);
      const generation = update.generation;
      if (generation !== undefined && fieldRules.id(generation) !== undefined) throw new TypeError(`ingest: generation ${fieldRules.id(generation)}`);
      if (change !== undefined && (change.agentId !== agentId || change.version !== version)) {
        throw new TypeError(
          `ingest: change must be the agent's change of version ${version} (got ${JSON.stringify(change.agentId)} v${String(change.version)})`,
        );
      }
      // An agent whose record this service found unreadable: a later version (repaired, or saved by a release that
      // reads it) lifts that; one at or below the unreadable version is old news and stays out of the roster.
      const unread = unreadable.get(agentId)?.error;
      const stale = unread !== undefined && compareSaves({ version, generation }, { version: unread.version ?? 0, generation: unread.generation }) <= 0;
      if (unread !== undefined && !stale) unreadable.delete(agentId);
      // The same save made elsewhere is the same state: only a later one (generation, then version) replaces the entry.
      const indexed = !storeRoutes && !stale && roster.isNewer(agentId, version, generation) && roster.upsert(state, version, generation);
      const held = notified.get(agentId);
      const fresh = change !== undefined && (held === undefined || compareSaves({ version, generation }, held) > 0);
      if (fresh) notify(generation === undefined || change.generation !== undefined ? change : { ...change, generation });
      return indexed || fresh;
    },

    async get(agentId) {
      checkAgentId('get', agentId);
      const loaded = await loadRecord(agentId);
      index(agentId, loaded);
      const state = loaded?.record.state ?? machine.initialState(agentId);
      return { agentId, state, presence: machine.presenceOf(state), version: loaded?.version ?? 0 };
    },

    subscribe(listener) {
      const own = (change: PresenceChange) => listener(change);
      listeners.add(own);
      return () => void listeners.delete(own);
    },

    findAvailable,

    route(item, options) {
      return routeItem({ dispatch, findCandidates, releaseReservation, rotate: rotation }, item, options, routing);
    },

    async timeInStatus(agentId, window) {
      checkAgentId('timeInStatus', agentId);
      const { from, to } = checkWindow('timeInStatus', 'window.', window);
      const [changes, loaded] = await Promise.all([history.read(agentId, { from, to }), loadRecord(agentId)]);
      const current = loaded === undefined ? undefined : machine.presenceOf(loaded.record.state);
      return computeTimeInStatus(changes, current, { from, to });
    },

    async report(request) {
      const window = checkWindow('report', '', request);
      const asked = checkReportAgents(request);
      const tracksWork = typeof history.readWork === 'function';
      const agents: AgentReport[] = [];
      /** One agent's report; `stored` is its record when the listing gave it (else it is loaded). */
      const reportOn = async (agentId: string, stored?: VersionedRecord | typeof UNREAD): Promise<AgentReport> => {
        const loading =
          stored === UNREAD ? Promise.resolve(undefined) : stored !== undefined ? Promise.resolve(stored) : loadRecord(agentId).catch(unlessUnreadable);
        const [changes, entries, loaded] = await Promise.all([
          history.read(agentId, window),
          tracksWork ? history.readWork!(agentId, window) : undefined,
          loading,
        ]);
        const current = loaded === undefined ? undefined : machine.presenceOf(loaded.record.state);
        return computeAgentReport(agentId, changes, entries, current, machine.profileOf(agentId).capacity, window);
      };
      // A report over many agents lets the event loop run between batches: an in-memory history answers at once.
      const pause = createEventLoopYield();
      if (asked !== undefined) {
        for (let i = 0; i < asked.length; i += REPORT_BATCH) {
          agents.push(...(await Promise.all(asked.slice(i, i + REPORT_BATCH).map((id) => reportOn(id)))));
          await pause();
        }
      } else {
        // Every agent in the store, once (a listing may give one twice), with the record it gave.
        const seen = new Set<string>();
        // Read when the batch is full, not while the listing goes on: a read that fails is always awaited (never
        // left unhandled while the listing waits, or when it fails).
        const batch: [string, VersionedRecord | typeof UNREAD][] = [];
        const readBatch = async () => {
          agents.push(...(await Promise.all(batch.splice(0, REPORT_BATCH).map(([agentId, stored]) => reportOn(agentId, stored)))));
          await pause();
        };
        // An agent whose record cannot be read is reported too, from its history alone.
        const unread: string[] = [];
        const listing = store.list((error) => {
          noteUnreadable(error);
          unread.push(error.agentId);
        });
        for await (const stored of listing) {
          if (seen.has(stored.agentId)) continue;
          seen.add(stored.agentId);
          batch.push([stored.agentId, stored]);
          if (batch.length === REPORT_BATCH) await readBatch();
        }
        for (const agentId of unread) if (!seen.has(agentId) && seen.add(agentId)) batch.push([agentId, UNREAD]);
        while (batch.length > 0) await readBatch();
      }
      return { from: window.from, to: window.to, agents, totals: reportTotals(agents, tracksWork) };
    },

    reconfigure(next) {
      const problems = optionIssues({ machine: next });
      if (problems.length > 0) throw new TypeError(formatIssues(problems, 'reconfigure: invalid machine'));
      machine = next;
      roster.reconfigure(next);
    },

    armTimers,

    rebuildRoster() {
      rosterLoaded = rebuildRoster();
      return rosterLoaded;
    },

    resync() {
      roster.clear();
      notified.clear();
      settled.clear();
      // The agents found unreadable before: those the reload does not find unreadable again (their record lost,
      // or readable now) are listed no more; the others stay listed, as first met, and are not reported again.
      const before = new Map(unreadable);
      const reloaded = rebuildRoster().then((count) => {
        for (const [agentId, entry] of before) if (unreadable.get(agentId) === entry) unreadable.delete(agentId);
        return count;
      });
      rosterLoaded = reloaded;
      // A reload that fails leaves the index empty (never stale): the next findAvailable loads it again.
      reloaded.catch(() => {
        if (rosterLoaded === reloaded) rosterLoaded = undefined;
      });
      return reloaded;
    },

    forgetSignedOut,

    unreadableAgents() {
      return [...unreadable.values()];
    },

    repairAgent,

    async flush() {
      const agents = new Set([...recorded.pendingAgents(), ...workRecorded.pendingAgents(), ...published.pendingAgents()]);
      await Promise.all(
        [...agents].map((agentId) =>
          serial.run(agentId, async () => {
            await recorded.drain(agentId);
            await workRecorded.drain(agentId);
            await published.drain(agentId);
          }),
        ),
      );
      return recorded.pending + workRecorded.pending + published.pending;
    },

    async close() {
      closed = true;
      for (const agentId of armed) scheduler.cancel(agentId);
      armed.clear();
      await forgettingNow;
      await serial.idle();
    },
  };
}
