// Example 5 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { removePresence } from 'agent-presence/admin';
const config = removePresence(
  { presences: [{ id: 'lunch', name: 'Lunch', base: 'Away' }], agents: { a1: { presenceIds: ['lunch'] } } },
  'lunch',
);
console.log(config.presences, config.agents?.a1?.presenceIds); // [] []
export {};
