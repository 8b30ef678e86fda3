// Example 5 of the TSDoc in src/core/PresenceState.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { AgentSession } from 'agent-presence';
const tab: AgentSession = { sessionId: 'tab-1', lastSeen: 1_000 };
export {};
