// Example 7 of the TSDoc in src/service/configAdmin.ts, copied by `npm run examples:extract`: edit it there, not here.
import { assignPresences } from 'agent-presence/service';
const base = { presences: [{ id: 'lunch', name: 'Lunch', base: 'Away' as const }] };
console.log(assignPresences(base, ['lunch'], 'agent-7').agents?.['agent-7']?.presenceIds); // ['lunch']
export {};
