// Example 1 of the TSDoc in src/schema/presenceConfigSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { presenceConfigSchema } from 'agent-presence/schema';
const result = presenceConfigSchema.safeParse({ defaultProfile: { capacity: -1 } });
if (!result.success) console.log(result.error.issues[0]?.path); // ['defaultProfile', 'capacity']
export {};
