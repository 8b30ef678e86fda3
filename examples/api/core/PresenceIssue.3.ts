// Example 3 of the TSDoc in src/core/PresenceIssue.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { formatIssues } from 'agent-presence';
console.log(formatIssues([{ path: ['at'], message: 'must be a finite number' }])); // - at: must be a finite number
console.log(formatIssues([{ path: [], message: 'must be an object' }], 'Invalid event'));
// Invalid event:
// - (root): must be an object
export {};
