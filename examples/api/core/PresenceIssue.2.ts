// Example 2 of the TSDoc in src/core/PresenceIssue.ts, copied by `npm run examples:extract`: edit it there, not here.
import { formatPath } from 'agent-presence';
formatPath(['agents', 'agent-7', 'capacity']); // 'agents["agent-7"].capacity'
export {};
