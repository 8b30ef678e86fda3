// Example 1 of the TSDoc in src/core/PresenceConfig.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { CapacityProfile } from 'agent-presence';
const chat: CapacityProfile = { maxItems: 3, blocking: true };
const cases: CapacityProfile = { maxItems: 10 };
export {};
