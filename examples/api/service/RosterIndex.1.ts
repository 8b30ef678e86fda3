// Example 1 of the TSDoc in src/service/RosterIndex.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { RosterQuery } from 'agent-presence/service';
const chatQueue: RosterQuery = { units: 40, bases: ['Available', 'Busy'], limit: 5, order: 'mostFree' };
export {};
