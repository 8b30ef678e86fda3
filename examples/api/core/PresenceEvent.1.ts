// Example 1 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { EventBase } from 'agent-presence';
const stamp: EventBase = { at: Date.now(), eventId: 'evt-81f2' };
export {};
