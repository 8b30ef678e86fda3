// Example 6 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { setDefaultPresence } from 'agent-presence/admin';
const config = setDefaultPresence(setDefaultPresence({}, 'away'), 'busy', 'agent-7');
console.log(config.defaultProfile?.defaultPresenceId, config.agents?.['agent-7']?.defaultPresenceId); // away busy
export {};
