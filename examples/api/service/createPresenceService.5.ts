// Example 5 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import type { ExternalUpdate } from 'agent-presence/service';
const update: ExternalUpdate = { agentId: 'agent-7', state: createPresenceMachine({}).initialState('agent-7'), version: 3 };
export {};
