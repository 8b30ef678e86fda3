// Example 10 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { removeAgentProfile } from 'agent-presence/admin';
console.log(removeAgentProfile({ agents: { a1: { capacity: 60 } } }, 'a1').agents); // {}
export {};
