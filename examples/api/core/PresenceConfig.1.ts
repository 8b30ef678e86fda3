// Example 1 of the TSDoc in src/core/PresenceConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { CapacityProfile } from 'agent-presence';
const chat: CapacityProfile = { maxItems: 3, blocking: true };
const cases: CapacityProfile = { maxItems: 10 };
export {};
