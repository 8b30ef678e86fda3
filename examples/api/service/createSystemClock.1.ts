// Example 1 of the TSDoc in src/service/createSystemClock.ts, copied by `npm run examples:extract`: edit it there, not here.
import { createSystemClock } from 'agent-presence/service';
console.log(createSystemClock().now() > 1_700_000_000_000); // true
export {};
