// Example 4 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { DEFAULT_MAX_CLOCK_SKEW_MS } from 'agent-presence/service';
console.log(DEFAULT_MAX_CLOCK_SKEW_MS); // 10000
export {};
