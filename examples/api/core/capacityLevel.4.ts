// Example 4 of the TSDoc in src/core/capacityLevel.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { capacityLevel } from 'agent-presence';
const work = [{ workItemId: 'c1', units: 40, since: 0 }];
capacityLevel(work, { capacity: 100, maxWorkItems: undefined }); // 'partial'
capacityLevel(work, { capacity: 40, maxWorkItems: undefined });  // 'full'
capacityLevel(work, { capacity: 100, maxWorkItems: 1 });         // 'full'
const chats = new Map([['chat', { maxItems: 1, blocking: true }], ['case', { maxItems: 5, blocking: false }]]);
console.log(capacityLevel([{ workItemId: 'c2', units: 0, since: 0, profile: 'chat' }], { capacity: 100, maxWorkItems: undefined, capacityProfiles: chats })); // full
export {};
