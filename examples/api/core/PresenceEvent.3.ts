// Example 3 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { SignOutEvent } from 'agent-presence';
const event: SignOutEvent = { type: 'signOut', at: Date.now() };
export {};
