// Example 2 of the TSDoc in src/testing/presenceModel.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { presenceModel, type PresenceModel } from 'agent-presence/testing';
const model: PresenceModel = presenceModel({ defaultProfile: { defaultPresenceId: 'away' } });
const { state } = model.transition(model.initialState('a1'), { type: 'signIn', at: 0 });
console.log(model.presenceOf(state).text); // Appear away
export {};
