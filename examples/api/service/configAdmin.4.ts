// Example 4 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { activatePresence } from 'agent-presence/service';
const config = activatePresence({ presences: [{ id: 'lunch', name: 'Lunch', base: 'Away', active: false }] }, 'lunch');
console.log(config.presences?.[0]?.active); // true
export {};
