// Example 9 of the TSDoc in src/service/ports.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { PresenceChange } from 'agent-presence/service';
const onChange = (change: PresenceChange) =>
  console.log(`${change.agentId}: ${change.from.text} → ${change.to.text} (${change.source}) v${change.version}`);
export {};
