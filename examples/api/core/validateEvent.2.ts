// Example 2 of the TSDoc in src/core/validateEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { EVENT_FIELDS } from 'agent-presence';
console.log(EVENT_FIELDS.workAssigned.map(([field]) => field)); // ['workItemId', 'units', 'profile', 'at', 'eventId']
export {};
