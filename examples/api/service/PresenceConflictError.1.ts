// Example 1 of the TSDoc in src/service/PresenceConflictError.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService, PresenceConflictError, type PresenceStore } from 'agent-presence/service';
// A store that always reports that someone else saved first.
const busyStore: PresenceStore = {
  load: async () => undefined,
  save: async () => ({ ok: false, conflict: true }),
  list: async function* () {},
};
const service = createPresenceService({ machine: createPresenceMachine({}), store: busyStore, maxAttempts: 3 });
try {
  await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
} catch (error) {
  if (error instanceof PresenceConflictError) console.log(error.agentId, error.attempts); // agent-7 3
}
export {};
