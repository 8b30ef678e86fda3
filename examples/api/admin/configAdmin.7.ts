// Example 7 of the TSDoc in src/admin/configAdmin.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { assignPresences } from 'agent-presence/admin';
const base = { presences: [{ id: 'lunch', name: 'Lunch', base: 'Away' as const }] };
console.log(assignPresences(base, ['lunch'], 'agent-7').agents?.['agent-7']?.presenceIds); // ['lunch']
export {};
