// Example 11 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { WorkReleasedEvent } from 'agent-presence';
const event: WorkReleasedEvent = { type: 'workReleased', workItemId: 'chat-1', at: Date.now() };
export {};
