// Example 9 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService, type PresenceService } from 'agent-presence/service';
const service: PresenceService = createPresenceService({ machine: createPresenceMachine({}) });
await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
console.log((await service.get('agent-7')).presence.text); // Available
export {};
