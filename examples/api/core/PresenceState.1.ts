// Example 1 of the TSDoc in src/core/PresenceState.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { PresenceSource } from 'agent-presence';
const offline: PresenceSource[] = ['signOut', 'expired', 'disconnected'];
export {};
