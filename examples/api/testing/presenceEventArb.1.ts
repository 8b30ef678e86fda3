// Example 1 of the TSDoc in src/testing/presenceEventArb.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import fc from 'fast-check';
import { presenceEventArb, type PresenceEventArbOptions } from 'agent-presence/testing';
const options: PresenceEventArbOptions = { workItemIds: ['chat-1', 'chat-2'], at: fc.integer({ min: 0, max: 60_000 }) };
const events = presenceEventArb({}, 'agent-7', options);
export {};
