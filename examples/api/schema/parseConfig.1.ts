// Example 1 of the TSDoc in src/schema/parseConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { parseConfig } from 'agent-presence/schema';
const machine = createPresenceMachine(parseConfig(JSON.parse('{"defaultProfile":{"capacity":100}}')));
export {};
