// Example 4 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { HeartbeatEvent } from 'agent-presence';
const event: HeartbeatEvent = { type: 'heartbeat', sessionId: 'tab-1', at: Date.now() };
export {};
