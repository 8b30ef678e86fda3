// Example 1 of the TSDoc in src/core/resolveConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine, DEFAULT_CAPACITY } from 'agent-presence';
createPresenceMachine({}).profileOf('anyone').capacity === DEFAULT_CAPACITY; // true
export {};
