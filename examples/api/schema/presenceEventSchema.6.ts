// Example 6 of the TSDoc in src/schema/presenceEventSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { presenceEventSchema } from 'agent-presence/schema';
const result = presenceEventSchema.safeParse(JSON.parse('{"type":"workAssigned","workItemId":"c1","units":40,"at":0}'));
if (result.success) console.log(result.data.type); // workAssigned
export {};
