// Example 8 of the TSDoc in src/core/fieldRules.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { fieldRules } from 'agent-presence';
fieldRules.time(Date.now()); // undefined: fine
fieldRules.id('');           // 'must be a non-empty string of ≤ 256 characters (got "")'
export {};
