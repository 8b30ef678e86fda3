// Example 1 of the TSDoc in src/service/snapshotRecord.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { snapshotRecord, type PresenceRecordSnapshot } from 'agent-presence/service';
const row: PresenceRecordSnapshot = snapshotRecord({ state: createPresenceMachine({}).initialState('a1'), seen: [] });
export {};
