// Example 2 of the TSDoc in src/service/RosterIndex.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RosterCandidate } from 'agent-presence/service';
const describe = (c: RosterCandidate) => `${c.agentId}: ${c.presence.text}, ${c.freeUnits} units free since ${c.idleSince}`;
export {};
