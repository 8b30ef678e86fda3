// Example 3 of the TSDoc in src/service/createPresenceService.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { DispatchEvent } from 'agent-presence/service';
const fromTheBrowser: DispatchEvent = { type: 'setPresence', presenceId: 'away' }; // stamped on arrival
const fromAClock: DispatchEvent = { type: 'tick', at: 1_000 };
export {};
