// Example 2 of the TSDoc in src/core/validateEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import { readEvent } from 'agent-presence';
let reads = 0;
const tricky = { type: 'tick', get at() { return reads++ === 0 ? 5 : NaN; } };
console.log(readEvent(tricky).event); // { type: 'tick', at: 5 }
export {};
