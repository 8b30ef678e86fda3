// Example 1 of the TSDoc in src/core/EVENT_FIELDS.ts, copied by `npm run examples:extract`: edit it there, not here.
import { EVENT_FIELDS, type EventField } from 'agent-presence';
const always: EventField[] = EVENT_FIELDS.workAssigned.filter(([, , required]) => required === true);
console.log(always.map(([field]) => field)); // ['workItemId', 'at']
export {};
