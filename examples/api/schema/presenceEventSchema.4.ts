// Example 4 of the TSDoc in src/schema/presenceEventSchema.ts, copied by `npm run examples:extract`: edit it there, not here.
import { workAssignedEventSchema } from 'agent-presence/schema';
workAssignedEventSchema.parse({ type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 0 });
export {};
