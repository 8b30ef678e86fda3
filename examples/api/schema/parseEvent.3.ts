// Example 3 of the TSDoc in src/schema/parseEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import { parseEvent } from 'agent-presence/schema';
const event = parseEvent({ type: 'workReleased', workItemId: 'chat-1', at: 1700000000000 });
export {};
