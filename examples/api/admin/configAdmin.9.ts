// Example 9 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { addPresence, setCapacityPresence } from 'agent-presence/admin';
const withChats = addPresence({}, { id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' });
console.log(setCapacityPresence(withChats, 'partial', 'busy-chats').capacityPresences); // { partial: 'busy-chats' }
export {};
