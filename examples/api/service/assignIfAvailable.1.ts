// Example 1 of the TSDoc in src/service/assignIfAvailable.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { AssignOptions } from 'agent-presence/service';
const chat: AssignOptions = { bases: ['Available', 'Busy'] };
export {};
