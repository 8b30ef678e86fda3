/**
 * `agent-presence/service`: the presence service around the machine — agents' states in a store, per-agent
 * serialised dispatch with optimistic concurrency, deduplication, published changes, a roster index for routing
 * questions, time in status, assignment that re-checks capacity — with the ports it needs, their in-memory adapters
 * and record snapshots. (The config admin helpers are in `agent-presence/admin`.)
 *
 * @packageDocumentation
 * @module agent-presence/service
 */
export type { AgentRepair, RepairOptions } from './AgentRepair';
export { assignIfAvailable } from './assignIfAvailable';
export type { AssignOptions } from './assignIfAvailable';
export { claimHeldWork } from './claimHeldWork';
export type { HeldWorkClaims } from './claimHeldWork';
export { createMemoryHistoryStore } from './createMemoryHistoryStore';
export { createMemoryPresenceStore } from './createMemoryPresenceStore';
export type { MemoryStoreOptions } from './createMemoryPresenceStore';
export { createMemoryPublisher } from './createMemoryPublisher';
export { createPresenceService, DEFAULT_MAX_CLOCK_SKEW_MS } from './createPresenceService';
export type {
  AgentPresence,
  DispatchEvent,
  DispatchOptions,
  DispatchResult,
  ExternalUpdate,
  PresenceService,
  PresenceServiceOptions,
  ServiceErrorContext,
} from './createPresenceService';
export { createSystemClock } from './createSystemClock';
export { createTimerScheduler } from './createTimerScheduler';
export { PresenceConflictError } from './PresenceConflictError';
export type {
  ClaimingSaveResult,
  Clock,
  EventOutcome,
  HistoryStore,
  PresenceChange,
  PresencePublisher,
  PresenceRecord,
  PresenceStore,
  RosterLookup,
  RosterMatch,
  RosterReserve,
  RosterPlacement,
  SaveContext,
  SaveResult,
  Scheduler,
  SeenEvent,
  StoredRecord,
  StoreGeneration,
  TimeWindow,
  UncheckedRecord,
  VersionedRecord,
  WorkClaim,
  WorkClaimResult,
  WorkEventKind,
  WorkHistoryEntry,
  WorkItemChanges,
} from './ports';
export type { AgentReport, PresenceReport, ReportRequest, WorkCounts } from './PresenceReport';
export { ROSTER_ORDERS, ROSTER_QUERY_DEFAULTS } from './RosterQuery';
export type { ResolvedRosterQuery, RosterCandidate, RosterOrder, RosterQuery } from './RosterQuery';
export { ROUTE_EVENTS } from './routeItem';
export type { RouteAttempt, RouteItem, RouteMode, RouteOptions, RouteResult } from './routeItem';
export type { RoutingMarks } from './RoutingMarks';
export { restoreRecord, snapshotRecord } from './snapshotRecord';
export type { PresenceRecordSnapshot } from './snapshotRecord';
export { tickEvent } from './tickEvent';
export type { TimeInStatus } from './timeInStatus';
export { UnreadableRecordError } from './UnreadableRecordError';
export type { UnreadableAgent } from './UnreadableRecordError';
