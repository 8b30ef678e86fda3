// Example 6 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { ActivityEvent } from 'agent-presence';
const event: ActivityEvent = { type: 'activity', at: Date.now() };
export {};
