// Example 2 of the TSDoc in src/service/snapshotRecord.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { snapshotRecord } from 'agent-presence/service';
const json = JSON.stringify(snapshotRecord({ state: createPresenceMachine({}).initialState('a1'), seen: [] }));
console.log(json.startsWith('{"schemaVersion":1,')); // true
export {};
