// Example 11 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { Clock } from 'agent-presence/service';
let now = 0;
const testClock: Clock = { now: () => now };
now += 60_000;
console.log(testClock.now()); // 60000
export {};
