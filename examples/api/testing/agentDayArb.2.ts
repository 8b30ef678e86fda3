// Example 2 of the TSDoc in src/testing/agentDayArb.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import fc from 'fast-check';
import { agentDayArb, type AgentDayArbOptions } from 'agent-presence/testing';
const options: AgentDayArbOptions = { agentId: 'agent-7', start: fc.constant(0), maxSteps: 10 };
const days = agentDayArb({}, options);
export {};
