// Example 1 of the TSDoc in src/schema/parseEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import { safeParseEvent, type SafeParseEventResult } from 'agent-presence/schema';
const result: SafeParseEventResult = safeParseEvent({ type: 'signIn', at: 0 });
export {};
