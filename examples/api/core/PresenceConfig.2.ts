// Example 2 of the TSDoc in src/core/PresenceConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { AgentProfile } from 'agent-presence';
const senior: AgentProfile = { defaultPresenceId: 'away', presenceIds: ['away-training'], capacity: 60, maxWorkItems: 3 };
export {};
