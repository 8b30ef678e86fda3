// Example 1 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { addPresence } from 'agent-presence/service';
const config = addPresence({}, { id: 'away-lunch', name: 'Away – Lunch', text: 'At lunch', base: 'Away' });
console.log(config.presences?.length); // 1
export {};
