// Example 5 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { removePresence } from 'agent-presence/service';
const config = removePresence(
  { presences: [{ id: 'lunch', name: 'Lunch', base: 'Away' }], agents: { a1: { presenceIds: ['lunch'] } } },
  'lunch',
);
console.log(config.presences, config.agents?.a1?.presenceIds); // [] []
export {};
