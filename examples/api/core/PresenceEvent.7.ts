// Example 7 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { TickEvent } from 'agent-presence';
const event: TickEvent = { type: 'tick', at: Date.now() };
export {};
