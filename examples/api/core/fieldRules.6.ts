// Example 6 of the TSDoc in src/core/fieldRules.ts, copied by `npm run examples:extract`: edit it there, not here.
import { MAX_SESSIONS } from 'agent-presence';
console.log(MAX_SESSIONS); // 64
export {};
