// Example 5 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createMemoryPresenceStore, type StoredRecord } from 'agent-presence/service';
const all: StoredRecord[] = [];
for await (const stored of createMemoryPresenceStore().list()) all.push(stored);
export {};
