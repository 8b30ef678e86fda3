// Example 1 of the TSDoc in src/schema/presenceEventSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { signInEventSchema } from 'agent-presence/schema';
signInEventSchema.parse({ type: 'signIn', at: 0 });
export {};
