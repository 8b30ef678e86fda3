// Example 4 of the TSDoc in src/schema/presenceEventSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { workAssignedEventSchema } from 'agent-presence/schema';
workAssignedEventSchema.parse({ type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 0 });
export {};
