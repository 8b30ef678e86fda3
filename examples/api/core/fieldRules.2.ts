// Example 2 of the TSDoc in src/core/fieldRules.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { MAX_ID_LENGTH } from 'agent-presence';
const fits = (id: string) => id.length > 0 && id.length <= MAX_ID_LENGTH;
export {};
