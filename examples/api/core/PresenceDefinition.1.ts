// Example 1 of the TSDoc in src/core/PresenceDefinition.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { PresenceInput } from 'agent-presence';
const training: PresenceInput = { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' };
export {};
