// Example 3 of the TSDoc in src/core/validateEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { readEvent, type EventReading } from 'agent-presence';
const reading: EventReading = readEvent({ type: 'tick', at: 5 });
if (reading.event) console.log(reading.event.at); // 5
export {};
