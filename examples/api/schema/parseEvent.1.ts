// Example 1 of the TSDoc in src/schema/parseEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { safeParseEvent, type SafeParseEventResult } from 'agent-presence/schema';
const result: SafeParseEventResult = safeParseEvent({ type: 'signIn', at: 0 });
export {};
