// Example 15 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { PresenceEvent } from 'agent-presence';
const day: PresenceEvent[] = [
  { type: 'signIn', at: 0 },
  { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 1_000 },
  { type: 'workReleased', workItemId: 'chat-1', at: 60_000 },
  { type: 'signOut', at: 120_000 },
];
export {};
