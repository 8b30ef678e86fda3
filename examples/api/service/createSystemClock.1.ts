// Example 1 of the TSDoc in src/service/createSystemClock.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createSystemClock } from 'agent-presence/service';
console.log(createSystemClock().now() > 1_700_000_000_000); // true
export {};
