// Example 1 of the TSDoc in src/core/capacityLevel.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { CapacityLevel } from 'agent-presence';
const label: Record<CapacityLevel, string> = { none: 'free', partial: 'working', full: 'full' };
export {};
