// Example 2 of the TSDoc in src/core/PresenceIssue.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { formatPath } from 'agent-presence';
formatPath(['agents', 'agent-7', 'capacity']); // 'agents["agent-7"].capacity'
export {};
