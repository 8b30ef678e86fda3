// Example 14 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { WorkRejectedEvent } from 'agent-presence';
const event: WorkRejectedEvent = { type: 'workRejected', workItemId: 'chat-7', at: Date.now() };
export {};
