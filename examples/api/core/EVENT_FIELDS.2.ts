// Example 2 of the TSDoc in src/core/EVENT_FIELDS.ts, copied by `npm run examples:extract`: edit it there, not here.
import { EVENT_FIELDS } from 'agent-presence';
console.log(EVENT_FIELDS.workAssigned.map(([field]) => field)); // ['workItemId', 'units', 'profile', 'at', 'eventId']
export {};
