// Example 11 of the TSDoc in src/core/PresenceEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { WorkReleasedEvent } from 'agent-presence';
const event: WorkReleasedEvent = { type: 'workReleased', workItemId: 'chat-1', at: Date.now() };
export {};
