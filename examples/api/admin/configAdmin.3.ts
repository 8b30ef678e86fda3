// Example 3 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { addPresence, deactivatePresence } from 'agent-presence/admin';
const config = deactivatePresence(addPresence({}, { id: 'lunch', name: 'Lunch', base: 'Away' }), 'lunch');
console.log(config.presences?.[0]?.active); // false
export {};
