// Example 1 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { EventBase } from 'agent-presence';
const stamp: EventBase = { at: Date.now(), eventId: 'evt-81f2' };
export {};
