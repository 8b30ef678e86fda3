// Example 1 of the TSDoc in src/core/PresenceDefinition.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { PresenceInput } from 'agent-presence';
const training: PresenceInput = { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' };
export {};
