// Example 2 of the TSDoc in src/schema/presenceEventSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { signOutEventSchema } from 'agent-presence/schema';
signOutEventSchema.parse({ type: 'signOut', at: 0 });
export {};
