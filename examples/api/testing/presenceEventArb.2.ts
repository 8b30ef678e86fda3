// Example 2 of the TSDoc in src/testing/presenceEventArb.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import fc from 'fast-check';
import { createPresenceMachine } from 'agent-presence';
import { presenceEventArb } from 'agent-presence/testing';
const machine = createPresenceMachine({});
fc.assert(
  fc.property(fc.array(presenceEventArb({}, 'agent-7')), (events) => {
    let state = machine.initialState('agent-7');
    for (const event of events) state = machine.transition(state, event).state;
    return state.agentId === 'agent-7';
  }),
  { numRuns: 50 },
);
export {};
