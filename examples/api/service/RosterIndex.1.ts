// Example 1 of the TSDoc in src/service/RosterIndex.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RosterQuery } from 'agent-presence/service';
const chatQueue: RosterQuery = { units: 40, bases: ['Available', 'Busy'], limit: 5, order: 'mostFree' };
export {};
