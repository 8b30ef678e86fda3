// Example 1 of the TSDoc in src/testing/presenceModel.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { presenceModel, type ModelTransition } from 'agent-presence/testing';
const model = presenceModel({});
const expected: ModelTransition = model.transition(model.initialState('a1'), { type: 'setPresence', presenceId: 'away', at: 5 });
console.log(expected.rejection); // NOT_SIGNED_IN
export {};
