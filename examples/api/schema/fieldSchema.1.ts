// Example 1 of the TSDoc in src/schema/fieldSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { fieldRules } from 'agent-presence';
import { fieldSchema } from 'agent-presence/schema';
const units = fieldSchema<number>(fieldRules.units);
units.safeParse(-1).success; // false, with the message 'must be a finite number ≥ 0 (got -1)'
export {};
