// Example 12 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { WrapUpEndedEvent } from 'agent-presence';
const event: WrapUpEndedEvent = { type: 'wrapUpEnded', workItemId: 'chat-1', at: Date.now() };
export {};
