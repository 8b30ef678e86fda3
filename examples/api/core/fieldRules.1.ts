// Example 1 of the TSDoc in src/core/fieldRules.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { fieldRules, type FieldRule } from 'agent-presence';
const rule: FieldRule = fieldRules.units;
rule(-1); // 'must be a finite number ≥ 0 (got -1)'
export {};
