// Example 2 of the TSDoc in src/core/capacityLevel.ts, copied by `npm run examples:extract`: edit it there, not here.
import { capacityLevel } from 'agent-presence';
const work = [{ workItemId: 'c1', units: 40, since: 0 }];
capacityLevel(work, { capacity: 100, maxWorkItems: undefined }); // 'partial'
capacityLevel(work, { capacity: 40, maxWorkItems: undefined });  // 'full'
capacityLevel(work, { capacity: 100, maxWorkItems: 1 });         // 'full'
capacityLevel([0.7, 0.2, 0.1].map((units, i) => ({ workItemId: `c${i}`, units, since: 0 })), { capacity: 1, maxWorkItems: undefined }); // 'full'
export {};
