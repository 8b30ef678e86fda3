// Example 3 of the TSDoc in src/core/PresenceConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { CapacityPresences } from 'agent-presence';
const slots: CapacityPresences = { none: 'available', partial: 'busy', full: 'busy-dnd' }; // the defaults
export {};
