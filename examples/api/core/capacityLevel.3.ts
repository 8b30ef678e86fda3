// Example 3 of the TSDoc in src/core/capacityLevel.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { CapacityLimits } from 'agent-presence';
const limits: CapacityLimits = { capacity: 100, maxWorkItems: 3, capacityProfiles: new Map([['chat', { maxItems: 2, blocking: true }]]) };
export {};
