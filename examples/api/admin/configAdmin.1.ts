// Example 1 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { addPresence } from 'agent-presence/admin';
const config = addPresence({}, { id: 'away-lunch', name: 'Away – Lunch', text: 'At lunch', base: 'Away' });
console.log(config.presences?.length); // 1
export {};
