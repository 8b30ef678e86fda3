// Example 1 of the TSDoc in src/schema/presenceStateSchema.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { presenceStateSchema } from 'agent-presence/schema';
const state = createPresenceMachine({}).initialState('agent-7');
console.log(presenceStateSchema.safeParse(state).success); // true
const bad = presenceStateSchema.safeParse({ ...state, base: 'Lunch' });
if (!bad.success) console.log(bad.error.issues[0]?.path); // ['base']
export {};
