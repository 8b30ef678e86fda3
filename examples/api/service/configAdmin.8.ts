// Example 8 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { setCapacity } from 'agent-presence/service';
const config = setCapacity({}, { capacity: 60, maxWorkItems: 3 }, 'agent-7');
console.log(config.agents?.['agent-7']); // { capacity: 60, maxWorkItems: 3 }
export {};
