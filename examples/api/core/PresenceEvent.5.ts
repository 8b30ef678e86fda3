// Example 5 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { WorkAssignedEvent } from 'agent-presence';
const event: WorkAssignedEvent = { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: Date.now() };
export {};
