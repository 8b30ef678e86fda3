// Example 9 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { ResetPresenceEvent } from 'agent-presence';
const event: ResetPresenceEvent = { type: 'resetPresence', at: Date.now() };
export {};
