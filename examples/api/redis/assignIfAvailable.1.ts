// Example 1 of the TSDoc in src/redis/assignIfAvailable.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { AssignOptions } from 'agent-presence/redis';
const chat: AssignOptions = { bases: ['Available', 'Busy'] };
export {};
