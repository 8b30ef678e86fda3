// Example 4 of the TSDoc in src/core/fieldRules.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { MAX_TIME } from 'agent-presence';
console.log(new Date(MAX_TIME).toISOString()); // +275760-09-13T00:00:00.000Z
export {};
