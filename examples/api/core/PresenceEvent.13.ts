// Example 13 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { WorkMissedEvent } from 'agent-presence';
const event: WorkMissedEvent = { type: 'workMissed', workItemId: 'chat-7', at: Date.now() };
export {};
