// Example 1 of the TSDoc in src/testing/TRICKY_IDS.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { TRICKY_IDS } from 'agent-presence/testing';
const machine = createPresenceMachine({});
for (const id of TRICKY_IDS) {
  const { state } = machine.transition(machine.initialState(id), { type: 'workAssigned', workItemId: id, units: 10, at: 0 });
  if (state.work[0]?.workItemId !== id) throw new Error(`work item ${id} lost`);
}
console.log(TRICKY_IDS.includes('__proto__')); // true
export {};
