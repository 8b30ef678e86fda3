// Example 3 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { DispatchEvent } from 'agent-presence/service';
const fromTheBrowser: DispatchEvent = { type: 'setPresence', presenceId: 'away' }; // stamped on arrival
const fromAClock: DispatchEvent = { type: 'tick', at: 1_000 };
export {};
