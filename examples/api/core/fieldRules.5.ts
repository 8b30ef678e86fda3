// Example 5 of the TSDoc in src/core/fieldRules.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { MAX_DURATION_MS } from 'agent-presence';
console.log(MAX_DURATION_MS / 86_400_000); // 365
export {};
