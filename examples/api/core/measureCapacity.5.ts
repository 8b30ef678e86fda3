// Example 5 of the TSDoc in src/core/measureCapacity.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { canTakeWork } from 'agent-presence';
const work = [{ workItemId: 'c1', units: 60, since: 0 }];
console.log(canTakeWork(work, { capacity: 100, maxWorkItems: undefined }, { units: 40 })); // true
console.log(canTakeWork(work, { capacity: 100, maxWorkItems: undefined }, { units: 41 })); // false
export {};
