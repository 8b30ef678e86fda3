// Example 4 of the TSDoc in src/core/fieldRules.ts, copied by `npm run examples:extract`: edit it there, not here.
import { MAX_TIME } from 'agent-presence';
console.log(new Date(MAX_TIME).toISOString()); // +275760-09-13T00:00:00.000Z
export {};
