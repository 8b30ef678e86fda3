// Example 2 of the TSDoc in src/core/measureCapacity.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine, type CapacityReport } from 'agent-presence';
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, capacityProfiles: { chat: { maxItems: 3 } } } });
let state = machine.transition(machine.initialState('a1'), { type: 'signIn', at: 0 }).state;
state = machine.transition(state, { type: 'workAssigned', workItemId: 'c1', units: 30, profile: 'chat', at: 1 }).state;
const report: CapacityReport = machine.capacityOf(state);
console.log(report.level, report.units, report.profiles.chat); // partial { used: 30, capacity: 100, free: 70 } { held: 1, max: 3, free: 2, blocking: false }
export {};
