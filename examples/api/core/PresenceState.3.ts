// Example 3 of the TSDoc in src/core/PresenceState.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { HeldWorkItem } from 'agent-presence';
const item: HeldWorkItem = { workItemId: 'chat-1', units: 40, since: 1_000 };
const wrapping: HeldWorkItem = { workItemId: 'chat-2', units: 40, since: 1_000, wrapUpUntil: 90_000 };
export {};
