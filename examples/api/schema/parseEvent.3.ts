// Example 3 of the TSDoc in src/schema/parseEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { parseEvent } from 'agent-presence/schema';
const event = parseEvent({ type: 'workReleased', workItemId: 'chat-1', at: 1700000000000 });
export {};
