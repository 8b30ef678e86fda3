// Example 1 of the TSDoc in src/testing/agentDayArb.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { AgentDay } from 'agent-presence/testing';
const day: AgentDay = { agentId: 'agent-7', events: [{ type: 'signIn', at: 0 }, { type: 'signOut', at: 28_800_000 }] };
export {};
