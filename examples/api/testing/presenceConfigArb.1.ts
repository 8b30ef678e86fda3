// Example 1 of the TSDoc in src/testing/presenceConfigArb.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { presenceConfigArb, type PresenceConfigArbOptions } from 'agent-presence/testing';
const options: PresenceConfigArbOptions = { agentIds: ['alice', 'bob'], maxPresences: 3, trickyIds: false };
const configs = presenceConfigArb(options);
export {};
