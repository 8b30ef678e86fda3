// Example 1 of the TSDoc in src/service/createMemoryHistoryStore.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createMemoryHistoryStore, createPresenceService } from 'agent-presence/service';
const history = createMemoryHistoryStore({ limit: 50 });
const service = createPresenceService({ machine: createPresenceMachine({}), history });
await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: '0b6f3c2e-8a41-4d5e-9f7a-2c1d3e4f5a6b' });
const changes = await history.read('agent-7', { from: 0, to: 5_000 });
console.log(changes.map((c) => `${c.to.presenceId} ${c.eventId}`)); // ['available 0b6f3c2e-8a41-4d5e-9f7a-2c1d3e4f5a6b']
console.log(history.size, history.byteLength); // 1 64
history.forget('agent-7');
console.log(history.size); // 0
export {};
