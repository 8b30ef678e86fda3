// Example 1 of the TSDoc in src/core/capacityLevel.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { CapacityLevel } from 'agent-presence';
const label: Record<CapacityLevel, string> = { none: 'free', partial: 'working', full: 'full' };
export {};
