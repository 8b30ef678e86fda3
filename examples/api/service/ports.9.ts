// Example 9 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { PresenceChange } from 'agent-presence/service';
const onChange = (change: PresenceChange) =>
  console.log(`${change.agentId}: ${change.from.text} → ${change.to.text} (${change.source}) v${change.version}`);
export {};
