// Example 2 of the TSDoc in src/testing/presenceConfigArb.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import fc from 'fast-check';
import { createPresenceMachine, validateConfig } from 'agent-presence';
import { presenceConfigArb } from 'agent-presence/testing';
fc.assert(fc.property(presenceConfigArb(), (config) => validateConfig(config).length === 0), { numRuns: 50 });
const [config] = fc.sample(presenceConfigArb({ agentIds: ['alice'] }), { numRuns: 1, seed: 42 });
createPresenceMachine(config);
export {};
