// Example 9 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { ResetPresenceEvent } from 'agent-presence';
const event: ResetPresenceEvent = { type: 'resetPresence', at: Date.now() };
export {};
