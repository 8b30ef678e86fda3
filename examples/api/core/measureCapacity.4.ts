// Example 4 of the TSDoc in src/core/measureCapacity.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { measureCapacity } from 'agent-presence';
const report = measureCapacity([{ workItemId: 'c1', units: 40, since: 0 }], { capacity: 100, maxWorkItems: 2 });
console.log(report.units.free, report.items); // 60 { held: 1, max: 2 }
export {};
