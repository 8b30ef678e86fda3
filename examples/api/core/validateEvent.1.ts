// Example 1 of the TSDoc in src/core/validateEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import { readEvent, type EventReading } from 'agent-presence';
const reading: EventReading = readEvent({ type: 'tick', at: 5 });
if (reading.event) console.log(reading.event.at); // 5
export {};
