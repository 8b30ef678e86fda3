// Example 4 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { activatePresence } from 'agent-presence/admin';
const config = activatePresence({ presences: [{ id: 'lunch', name: 'Lunch', base: 'Away', active: false }] }, 'lunch');
console.log(config.presences?.[0]?.active); // true
export {};
