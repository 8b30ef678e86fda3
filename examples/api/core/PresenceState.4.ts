// Example 4 of the TSDoc in src/core/PresenceState.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { PresenceChoice } from 'agent-presence';
const choice: PresenceChoice = { presenceId: 'away-training', base: 'Away', source: 'manual' };
export {};
