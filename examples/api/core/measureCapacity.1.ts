// Example 1 of the TSDoc in src/core/measureCapacity.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { CapacityProfileUse } from 'agent-presence';
const chat: CapacityProfileUse = { held: 2, max: 3, free: 1, blocking: true };
export {};
