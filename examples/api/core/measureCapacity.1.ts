// Example 1 of the TSDoc in src/core/measureCapacity.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { CapacityProfileUse } from 'agent-presence';
const chat: CapacityProfileUse = { held: 2, max: 3, free: 1, blocking: true };
export {};
