// Example 2 of the TSDoc in src/schema/parseEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { safeParseEvent } from 'agent-presence/schema';
const result = safeParseEvent(JSON.parse('{"type":"setPresence","presenceId":"away","at":1700000000000}'));
if (result.success) console.log(result.data.type);
else console.error(result.error.message);
export {};
