// Example 9 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { addPresence, setCapacityPresence } from 'agent-presence/service';
const withChats = addPresence({}, { id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' });
console.log(setCapacityPresence(withChats, 'partial', 'busy-chats').capacityPresences); // { partial: 'busy-chats' }
export {};
