// Example 4 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { HeartbeatEvent } from 'agent-presence';
const event: HeartbeatEvent = { type: 'heartbeat', sessionId: 'tab-1', at: Date.now() };
export {};
