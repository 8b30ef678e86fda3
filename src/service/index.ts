/**
 * `agent-presence/service`: the presence service around the machine — agents' states in a store, per-agent
 * serialised dispatch with optimistic concurrency, deduplication, published changes, a roster index for routing
 * questions, time in status — with the ports it needs, their in-memory adapters, record snapshots and the config
 * admin helpers.
 *
 * @packageDocumentation
 * @module agent-presence/service
 */
export {
  activatePresence,
  addPresence,
  assignPresences,
  deactivatePresence,
  removeAgentProfile,
  removePresence,
  setCapacity,
  setCapacityPresence,
  setDefaultPresence,
  updatePresence,
} from './configAdmin';
export { createMemoryHistoryStore } from './createMemoryHistoryStore';
export { createMemoryPresenceStore } from './createMemoryPresenceStore';
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
  Clock,
  EventOutcome,
  HistoryStore,
  PresenceChange,
  PresencePublisher,
  PresenceRecord,
  PresenceStore,
  SaveContext,
  SaveResult,
  Scheduler,
  SeenEvent,
  StoredRecord,
  StoreGeneration,
  TimeWindow,
  VersionedRecord,
} from './ports';
export type { RosterCandidate, RosterQuery } from './RosterIndex';
export { restoreRecord, snapshotRecord } from './snapshotRecord';
export type { PresenceRecordSnapshot } from './snapshotRecord';
export type { TimeInStatus } from './timeInStatus';
