// Example 12 of the TSDoc in src/service/ports.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { Scheduler } from 'agent-presence/service';
const timers = new Map<string, { at: number; fire: () => void }>();
const manual: Scheduler = {
  set: (agentId, at, fire) => void timers.set(agentId, { at, fire }),
  cancel: (agentId) => void timers.delete(agentId),
};
export {};
