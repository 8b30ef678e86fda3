// Example 15 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { Scheduler } from 'agent-presence/service';
const timers = new Map<string, { at: number; fire: () => void }>();
const manual: Scheduler = {
  set: (agentId, at, fire) => void timers.set(agentId, { at, fire }),
  cancel: (agentId) => void timers.delete(agentId),
};
export {};
