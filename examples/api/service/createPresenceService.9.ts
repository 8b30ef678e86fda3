// Example 9 of the TSDoc in src/service/createPresenceService.ts, copied by `npm run examples:extract`: edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService, type PresenceService } from 'agent-presence/service';
const service: PresenceService = createPresenceService({ machine: createPresenceMachine({}) });
await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
console.log((await service.get('agent-7')).presence.text); // Available
export {};
