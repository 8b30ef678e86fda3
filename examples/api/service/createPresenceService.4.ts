// Example 4 of the TSDoc in src/service/createPresenceService.ts, copied by `npm run examples:extract`: edit it there, not here.
import { DEFAULT_MAX_CLOCK_SKEW_MS } from 'agent-presence/service';
console.log(DEFAULT_MAX_CLOCK_SKEW_MS); // 10000
export {};
