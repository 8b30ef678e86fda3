// Example 2 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { addPresence, updatePresence } from 'agent-presence/service';
const config = updatePresence(addPresence({}, { id: 'lunch', name: 'Lunch', base: 'Away' }), 'lunch', { text: 'Out for lunch' });
console.log(config.presences?.[0]?.text); // Out for lunch
export {};
