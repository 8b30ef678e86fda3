// Example 4 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createMemoryPresenceStore, type VersionedRecord } from 'agent-presence/service';
const loaded: VersionedRecord | undefined = await createMemoryPresenceStore().load('agent-7');
console.log(loaded); // undefined
export {};
