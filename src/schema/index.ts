/**
 * `agent-presence/schema`: zod schemas (`zod/mini`) and parsers for data that crosses a trust boundary (events off
 * a wire, config from a database, stored snapshots). The rules come from the core; the parsers and `restore` apply
 * them without zod, and zod is the edge's reporting layer for those who want schemas.
 *
 * @packageDocumentation
 * @module agent-presence/schema
 */
export { fieldSchema } from './fieldSchema';
export { parseConfig } from './parseConfig';
export { parseEvent, safeParseEvent } from './parseEvent';
export type { SafeParseEventResult } from './parseEvent';
export { presenceConfigSchema } from './presenceConfigSchema';
export { PresenceEventError } from './PresenceEventError';
export { PresenceSnapshotError } from './PresenceSnapshotError';
export { presenceStateSchema } from './presenceStateSchema';
export { restore, snapshot, SNAPSHOT_SCHEMA_VERSION } from './snapshot';
export type { PresenceSnapshot } from './snapshot';
export {
  presenceEventSchema,
  setPresenceEventSchema,
  signInEventSchema,
  signOutEventSchema,
  workAssignedEventSchema,
  workReleasedEventSchema,
} from './presenceEventSchema';
