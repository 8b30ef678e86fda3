// Example 2 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { addPresence, updatePresence } from 'agent-presence/admin';
const config = updatePresence(addPresence({}, { id: 'lunch', name: 'Lunch', base: 'Away' }), 'lunch', { text: 'Out for lunch' });
console.log(config.presences?.[0]?.text); // Out for lunch
export {};
