// Example 3 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { addPresence, deactivatePresence } from 'agent-presence/service';
const config = deactivatePresence(addPresence({}, { id: 'lunch', name: 'Lunch', base: 'Away' }), 'lunch');
console.log(config.presences?.[0]?.active); // false
export {};
