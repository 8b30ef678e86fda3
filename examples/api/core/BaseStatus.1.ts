// Example 1 of the TSDoc in src/core/BaseStatus.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { BASE_STATUSES } from 'agent-presence';
console.log(BASE_STATUSES.join(', ')); // Available, Busy, BusyDND, Away, Offline
export {};
