export { BASE_STATUSES, isBaseStatus } from './BaseStatus';
export type { BaseStatus } from './BaseStatus';
export { capacityLevel } from './capacityLevel';
export type { CapacityLevel, CapacityLimits, ResolvedCapacityProfile } from './capacityLevel';
export { createPresenceMachine } from './createPresenceMachine';
export type { PresenceMachine } from './createPresenceMachine';
export { fieldRules, MAX_DURATION_MS, MAX_HELD_ITEMS, MAX_ID_LENGTH, MAX_SESSIONS, MAX_TEXT_LENGTH, MAX_TIME } from './fieldRules';
export type { FieldRule } from './fieldRules';
export type { AgentProfile, CapacityPresences, CapacityProfile, PresenceConfig } from './PresenceConfig';
export { PresenceConfigError } from './PresenceConfigError';
export type { PresenceDefinition, PresenceInput } from './PresenceDefinition';
export { EVENT_FIELDS } from './EVENT_FIELDS';
export type { EventField } from './EVENT_FIELDS';
export { EVENT_TYPES } from './EVENT_TYPES';
export type {
  ActivityEvent,
  DisconnectedEvent,
  EventBase,
  HeartbeatEvent,
  PresenceEvent,
  ResetPresenceEvent,
  SetPresenceEvent,
  SignInEvent,
  SignOutEvent,
  TickEvent,
  WorkAssignedEvent,
  WorkMissedEvent,
  WorkRejectedEvent,
  WorkReleasedEvent,
  WrapUpEndedEvent,
} from './PresenceEvent';
export { canTakeWork, measureCapacity } from './measureCapacity';
export type { CapacityProfileUse, CapacityReport, WorkRequest } from './measureCapacity';
export { formatIssues, formatPath } from './PresenceIssue';
export type { PresenceIssue } from './PresenceIssue';
export { PRESENCE_SOURCES } from './PresenceState';
export type { AgentSession, HeldWorkItem, PresenceChoice, PresenceSource, PresenceState } from './PresenceState';
export { DEFAULT_CAPACITY, DEFAULT_RECONNECT_GRACE_MS } from './resolveConfig';
export type { ResolvedProfile } from './resolveConfig';
export { STANDARD_PRESENCES } from './STANDARD_PRESENCES';
export type { Rejection, RejectionCode, ResolvedPresence, Transition } from './Transition';
export { validateConfig } from './validateConfig';
export { readEvent, validateEvent } from './validateEvent';
export type { EventReading } from './validateEvent';
