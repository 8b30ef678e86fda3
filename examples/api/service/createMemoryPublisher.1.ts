// Example 1 of the TSDoc in src/service/createMemoryPublisher.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createMemoryPublisher, createPresenceService } from 'agent-presence/service';
const publisher = createMemoryPublisher({ limit: 100 });
const service = createPresenceService({ machine: createPresenceMachine({}), publisher });
await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
console.log(publisher.changes().map((c) => `${c.from.presenceId} → ${c.to.presenceId}`)); // ['offline → available']
export {};
