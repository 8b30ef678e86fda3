// Example 1 of the TSDoc in src/core/validateEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { EVENT_FIELDS, type EventField } from 'agent-presence';
const always: EventField[] = EVENT_FIELDS.workAssigned.filter(([, , required]) => required === true);
console.log(always.map(([field]) => field)); // ['workItemId', 'at']
export {};
