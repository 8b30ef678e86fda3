// Example 3 of the TSDoc in src/core/resolveConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 }, agents: { a7: { capacity: 60 } } });
console.log(machine.profileOf('a7').capacity, machine.profileOf('anyone-else').capacity); // 60 100
export {};
