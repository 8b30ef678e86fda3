// Example 4 of the TSDoc in src/core/PresenceConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { PresenceConfig } from 'agent-presence';
const config: PresenceConfig = {
  presences: [{ id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' }],
  defaultProfile: { capacity: 100 },
  agents: { 'agent-7': { defaultPresenceId: 'away', presenceIds: ['away-training'], capacity: 60, maxWorkItems: 3 } },
};
export {};
