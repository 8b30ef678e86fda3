// Example 5 of the TSDoc in src/schema/presenceEventSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { workReleasedEventSchema } from 'agent-presence/schema';
workReleasedEventSchema.parse({ type: 'workReleased', workItemId: 'chat-1', at: 0 });
export {};
