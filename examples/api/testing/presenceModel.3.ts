// Example 3 of the TSDoc in src/testing/presenceModel.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { presenceModel } from 'agent-presence/testing';
const config = { agents: { 'agent-7': { capacity: 40 } } };
const model = presenceModel(config);
const machine = createPresenceMachine(config);
const signedIn = model.transition(model.initialState('agent-7'), { type: 'signIn', at: 0 }).state;
const event = { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 1_000 } as const;
const expected = model.transition(signedIn, event);
console.log(expected.presence.presenceId); // busy-dnd
console.log(machine.transition(signedIn, event).presence.presenceId === expected.presence.presenceId); // true
export {};
