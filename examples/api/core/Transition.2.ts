// Example 2 of the TSDoc in src/core/Transition.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
const machine = createPresenceMachine({});
const r = machine.transition(machine.initialState('a1'), { type: 'setPresence', presenceId: 'busy', at: 1 });
console.log(r.rejection?.code); // NOT_SIGNED_IN
export {};
