// Example 5 of the TSDoc in src/schema/presenceEventSchema.ts, copied by `npm run examples:extract`: edit it there, not here.
import { workReleasedEventSchema } from 'agent-presence/schema';
workReleasedEventSchema.parse({ type: 'workReleased', workItemId: 'chat-1', at: 0 });
export {};
