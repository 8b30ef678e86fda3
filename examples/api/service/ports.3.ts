// Example 3 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import type { PresenceRecord } from 'agent-presence/service';
const record: PresenceRecord = { state: createPresenceMachine({}).initialState('agent-7'), seen: [] };
export {};
