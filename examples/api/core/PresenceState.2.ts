// Example 2 of the TSDoc in src/core/PresenceState.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { PRESENCE_SOURCES } from 'agent-presence';
console.log(PRESENCE_SOURCES.includes('idle')); // true
export {};
