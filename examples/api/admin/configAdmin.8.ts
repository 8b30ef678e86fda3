// Example 8 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { setCapacity } from 'agent-presence/admin';
const config = setCapacity({}, { capacity: 60, maxWorkItems: 3 }, 'agent-7');
console.log(config.agents?.['agent-7']); // { capacity: 60, maxWorkItems: 3 }
export {};
