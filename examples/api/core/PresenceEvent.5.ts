// Example 5 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { DisconnectedEvent } from 'agent-presence';
const event: DisconnectedEvent = { type: 'disconnected', sessionId: 'tab-1', at: Date.now() };
export {};
