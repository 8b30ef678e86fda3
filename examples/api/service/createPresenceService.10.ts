// Example 10 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService } from 'agent-presence/service';
const service = createPresenceService({ machine: createPresenceMachine({ defaultProfile: { capacity: 100 } }) });
service.subscribe((c) => console.log(`${c.agentId}: ${c.from.text} → ${c.to.text}`));
await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });            // agent-7: Offline → Available
await service.dispatch('agent-7', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 2_000 }); // agent-7: Available → Busy
const [best] = await service.findAvailable({ units: 40, bases: ['Available', 'Busy'], limit: 5, order: 'mostFree' });
console.log(best?.agentId, best?.freeUnits); // agent-7 60
export {};
