// Example 3 of the TSDoc in src/schema/presenceEventSchema.ts, copied by `npm run examples:extract`: edit it there, not here.
import { setPresenceEventSchema } from 'agent-presence/schema';
setPresenceEventSchema.parse({ type: 'setPresence', presenceId: 'away', at: 0 });
export {};
