// Example 10 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { removeAgentProfile } from 'agent-presence/service';
console.log(removeAgentProfile({ agents: { a1: { capacity: 60 } } }, 'a1').agents); // {}
export {};
