// Example 3 of the TSDoc in src/core/Transition.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
const machine = createPresenceMachine({});
const { presence } = machine.transition(machine.initialState('a1'), { type: 'signIn', at: 1_000 });
console.log(`${presence.text} (${presence.base}) since ${presence.since}, by ${presence.source}`);
// Available (Available) since 1000, by capacity
export {};
