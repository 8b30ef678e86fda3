// Example 3 of the TSDoc in src/core/fieldRules.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { MAX_TEXT_LENGTH } from 'agent-presence';
const label = (text: string) => text.slice(0, MAX_TEXT_LENGTH);
export {};
