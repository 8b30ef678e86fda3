// Example 10 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { WorkAssignedEvent } from 'agent-presence';
const chat: WorkAssignedEvent = { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: Date.now() };
const item: WorkAssignedEvent = { type: 'workAssigned', workItemId: 'case-9', profile: 'case', at: Date.now() };
export {};
