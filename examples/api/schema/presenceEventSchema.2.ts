// Example 2 of the TSDoc in src/schema/presenceEventSchema.ts, copied by `npm run examples:extract`: edit it there, not here.
import { signOutEventSchema } from 'agent-presence/schema';
signOutEventSchema.parse({ type: 'signOut', at: 0 });
export {};
