// Example 2 of the TSDoc in src/core/PresenceEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { SignInEvent } from 'agent-presence';
const event: SignInEvent = { type: 'signIn', at: Date.now() };
export {};
