// Example 1 of the TSDoc in src/schema/presenceEventSchema.ts, copied by `npm run examples:extract`: edit it there, not here.
import { signInEventSchema } from 'agent-presence/schema';
signInEventSchema.parse({ type: 'signIn', at: 0 });
export {};
