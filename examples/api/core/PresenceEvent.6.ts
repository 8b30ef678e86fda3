// Example 6 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { ActivityEvent } from 'agent-presence';
const event: ActivityEvent = { type: 'activity', at: Date.now() };
export {};
