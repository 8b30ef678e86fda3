// Example 2 of the TSDoc in src/core/PresenceDefinition.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
const machine = createPresenceMachine({});
const dnd = machine.presences.find((p) => p.id === 'busy-dnd');
console.log(dnd?.text); // Do not disturb
export {};
