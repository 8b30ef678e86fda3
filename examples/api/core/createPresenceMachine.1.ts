// Example 1 of the TSDoc in src/core/createPresenceMachine.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine, type PresenceMachine } from 'agent-presence';
const machine: PresenceMachine = createPresenceMachine({});
const { state, presence } = machine.transition(machine.initialState('agent-7'), { type: 'signIn', at: 0 });
console.log(presence.text, machine.selectablePresences(state).length); // Available 5
export {};
