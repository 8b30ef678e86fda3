// Example 6 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { setDefaultPresence } from 'agent-presence/service';
const config = setDefaultPresence(setDefaultPresence({}, 'away'), 'busy', 'agent-7');
console.log(config.defaultProfile?.defaultPresenceId, config.agents?.['agent-7']?.defaultPresenceId); // away busy
export {};
