// Example 3 of the TSDoc in src/core/measureCapacity.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { WorkRequest } from 'agent-presence';
const chat: WorkRequest = { units: 10, profile: 'chat' };
export {};
