// Example 2 of the TSDoc in src/service/UnreadableRecordError.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { UnreadableAgent } from 'agent-presence/service';
const line = (a: UnreadableAgent) => `${a.agentId} since ${new Date(a.since).toISOString()}: ${a.error.message.split('\n')[0]}`;
export {};
