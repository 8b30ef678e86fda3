// Example 2 of the TSDoc in src/schema/snapshot.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { snapshot, type PresenceSnapshot } from 'agent-presence/schema';
const stored: PresenceSnapshot = snapshot(createPresenceMachine({}).initialState('agent-7'));
export {};
