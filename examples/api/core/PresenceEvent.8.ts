// Example 8 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { SetPresenceEvent } from 'agent-presence';
const event: SetPresenceEvent = { type: 'setPresence', presenceId: 'away-training', at: Date.now() };
export {};
