// Example 3 of the TSDoc in src/testing/agentDayArb.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import fc from 'fast-check';
import { createPresenceMachine } from 'agent-presence';
import { agentDayArb } from 'agent-presence/testing';
const machine = createPresenceMachine({});
fc.assert(
  fc.property(agentDayArb({}), ({ agentId, events }) => {
    let state = machine.initialState(agentId);
    for (const event of events) {
      const result = machine.transition(state, event);
      if (result.rejection) return false; // a day holds no refused events
      state = result.state;
    }
    return state.base === 'Offline';
  }),
  { numRuns: 50 },
);
export {};
