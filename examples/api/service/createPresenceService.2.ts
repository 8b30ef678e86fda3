// Example 2 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService, type DispatchOptions } from 'agent-presence/service';
const service = createPresenceService({ machine: createPresenceMachine({ defaultProfile: { capacity: 100 } }) });
await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
// Assign only if the item still fits: never past capacity, however many routers race for the agent.
const fits: DispatchOptions = { precondition: (state, machine) => machine.canTake(state, { units: 60 }) };
const first = await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c1', units: 60, at: 2_000 }, fits);
const second = await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c2', units: 60, at: 3_000 }, fits);
console.log(first.declined, second.declined, second.state.work.length); // undefined true 1
export {};
