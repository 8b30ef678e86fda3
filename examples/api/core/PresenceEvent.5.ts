// Example 5 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { DisconnectedEvent } from 'agent-presence';
const event: DisconnectedEvent = { type: 'disconnected', sessionId: 'tab-1', at: Date.now() };
export {};
