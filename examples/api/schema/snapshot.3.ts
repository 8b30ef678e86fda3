// Example 3 of the TSDoc in src/schema/snapshot.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { snapshot } from 'agent-presence/schema';
const machine = createPresenceMachine({});
const { state } = machine.transition(machine.initialState('agent-7'), { type: 'signIn', at: 1_000 });
console.log(JSON.stringify(snapshot(state)).slice(0, 40)); // {"schemaVersion":1,"state":{"agentId":"a
export {};
