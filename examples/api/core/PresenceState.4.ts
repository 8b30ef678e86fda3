// Example 4 of the TSDoc in src/core/PresenceState.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { PresenceChoice } from 'agent-presence';
const choice: PresenceChoice = { presenceId: 'away-training', base: 'Away', source: 'manual' };
export {};
