// Example 7 of the TSDoc in src/core/fieldRules.ts, copied by `npm run examples:extract`: edit it there, not here.
import { MAX_HELD_ITEMS } from 'agent-presence';
console.log(MAX_HELD_ITEMS); // 1000
export {};
