// Example 4 of the TSDoc in src/core/Transition.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
const machine = createPresenceMachine({});
let state = machine.initialState('a1');
const r = machine.transition(state, { type: 'signIn', at: 1_000 });
if (r.rejection) console.warn(r.rejection.message);
else state = r.state;
export {};
