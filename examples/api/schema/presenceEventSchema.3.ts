// Example 3 of the TSDoc in src/schema/presenceEventSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { setPresenceEventSchema } from 'agent-presence/schema';
setPresenceEventSchema.parse({ type: 'setPresence', presenceId: 'away', at: 0 });
export {};
