// Example 1 of the TSDoc in src/schema/snapshot.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { SNAPSHOT_SCHEMA_VERSION } from 'agent-presence/schema';
console.log(SNAPSHOT_SCHEMA_VERSION); // 1
export {};
