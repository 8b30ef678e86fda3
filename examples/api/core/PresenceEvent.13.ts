// Example 13 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { WorkMissedEvent } from 'agent-presence';
const event: WorkMissedEvent = { type: 'workMissed', workItemId: 'chat-7', at: Date.now() };
export {};
