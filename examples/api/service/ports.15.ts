// Example 15 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { UncheckedRecord } from 'agent-presence/service';
const corrupt: UncheckedRecord = { version: 12, record: '{"schemaVersion":1,"state":{"agentId":"agent-7","since":null' };
const wrongType: UncheckedRecord = { version: 12, problem: 'its key held a list, not a hash: moved aside to presence:{0}:unreadable:agent-7' };
export {};
