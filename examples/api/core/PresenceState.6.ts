// Example 6 of the TSDoc in src/core/PresenceState.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine, type PresenceState } from 'agent-presence';
const machine = createPresenceMachine({});
const state: PresenceState = machine.initialState('agent-7');
const stored = JSON.stringify(state);
const restored: PresenceState = JSON.parse(stored);
export {};
