// Example 8 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createMemoryPresenceStore, type PresenceServiceOptions } from 'agent-presence/service';
const options: PresenceServiceOptions = {
  machine: createPresenceMachine({}),
  store: createMemoryPresenceStore(),
  dedupWindowMs: 60 * 60_000,
  onError: (error, context) => console.error(context.kind, context.agentId, error),
};
export {};
