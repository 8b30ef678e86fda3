// Example 2 of the TSDoc in src/service/AgentRepair.ts, copied by `npm run examples:extract`: edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createMemoryPresenceStore, createPresenceService, type AgentRepair } from 'agent-presence/service';
const machine = createPresenceMachine({});
const store = createMemoryPresenceStore();
const service = createPresenceService({ machine, store });
await service.dispatch('agent-7', { type: 'signIn', sessionId: 'desk', at: 1_000 });
// A broken record saved by hand (a migration gone wrong): a time that is null.
const { state } = await service.get('agent-7');
await store.save('agent-7', { state: { ...state, since: null as unknown as number }, seen: [] }, 1);
const repair: AgentRepair = await service.repairAgent('agent-7');
console.log(repair.repaired, repair.version, repair.presence.text, repair.kept.sessions); // true 3 Available 1
console.log(repair.problem?.split('\n')[1]); // - state.since: must be a finite number ≥ 0 and ≤ 8640000000000000 (got null)
export {};
