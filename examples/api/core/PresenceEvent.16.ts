// Example 16 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { EVENT_TYPES } from 'agent-presence';
EVENT_TYPES.includes('signIn'); // true
export {};
