/**
 * agent-presence: decides the presence of contact-center agents from base statuses, custom presence text,
 * capacity, manual choices and sign-in, as a pure state machine.
 *
 * @packageDocumentation
 * @module agent-presence
 */
export {
  BASE_STATUSES,
  capacityLevel,
  createPresenceMachine,
  DEFAULT_CAPACITY,
  EVENT_FIELDS,
  EVENT_TYPES,
  fieldRules,
  formatIssues,
  formatPath,
  isBaseStatus,
  MAX_ID_LENGTH,
  MAX_TEXT_LENGTH,
  PresenceConfigError,
  STANDARD_PRESENCES,
  validateConfig,
  validateEvent,
} from './core/index';
export type {
  AgentProfile,
  BaseStatus,
  CapacityLevel,
  CapacityPresences,
  EventBase,
  EventField,
  FieldRule,
  HeldWorkItem,
  PresenceChoice,
  PresenceConfig,
  PresenceDefinition,
  PresenceEvent,
  PresenceInput,
  PresenceIssue,
  PresenceMachine,
  PresenceSource,
  PresenceState,
  Rejection,
  RejectionCode,
  ResolvedPresence,
  ResolvedProfile,
  SetPresenceEvent,
  SignInEvent,
  SignOutEvent,
  Transition,
  WorkAssignedEvent,
  WorkReleasedEvent,
} from './core/index';
