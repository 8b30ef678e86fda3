// Example 6 of the TSDoc in src/core/fieldRules.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { MAX_SESSIONS } from 'agent-presence';
console.log(MAX_SESSIONS); // 64
export {};
