// Example 7 of the TSDoc in src/core/fieldRules.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { MAX_HELD_ITEMS } from 'agent-presence';
console.log(MAX_HELD_ITEMS); // 1000
export {};
