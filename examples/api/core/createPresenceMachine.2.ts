// Example 2 of the TSDoc in src/core/createPresenceMachine.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
const machine = createPresenceMachine({
  presences: [{ id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' }],
  defaultProfile: { capacity: 100 },
  agents: { 'agent-7': { defaultPresenceId: 'away', presenceIds: ['away-training'], capacity: 60, maxWorkItems: 3 } },
});
let state = machine.initialState('agent-7');
state = machine.transition(state, { type: 'signIn', at: 1_000 }).state;
console.log(machine.presenceOf(state).text); // Appear away (the default, applied as is)
export {};
