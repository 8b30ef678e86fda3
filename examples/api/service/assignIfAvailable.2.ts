// Example 2 of the TSDoc in src/service/assignIfAvailable.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { assignIfAvailable, createPresenceService } from 'agent-presence/service';
const service = createPresenceService({ machine: createPresenceMachine({ defaultProfile: { capacity: 100 } }) });
await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
const chat = { bases: ['Available', 'Busy'] } as const;
const a = await assignIfAvailable(service, 'agent-7', { type: 'workAssigned', workItemId: 'c1', units: 70, at: 2_000 }, chat);
const b = await assignIfAvailable(service, 'agent-7', { type: 'workAssigned', workItemId: 'c2', units: 70, at: 2_500 }, chat);
console.log(a.declined, b.declined, b.state.work.length); // undefined true 1
export {};
