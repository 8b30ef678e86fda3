// Example 1 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService, type DispatchResult } from 'agent-presence/service';
const service = createPresenceService({ machine: createPresenceMachine({}) });
const first: DispatchResult = await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'e1' });
const again = await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'e1' });
console.log(first.changed, first.duplicate, again.changed, again.duplicate, again.version); // true false true true 1
export {};
