// Example 14 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { WorkRejectedEvent } from 'agent-presence';
const event: WorkRejectedEvent = { type: 'workRejected', workItemId: 'chat-7', at: Date.now() };
export {};
