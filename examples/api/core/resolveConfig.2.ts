// Example 2 of the TSDoc in src/core/resolveConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine, DEFAULT_RECONNECT_GRACE_MS } from 'agent-presence';
console.log(createPresenceMachine({}).profileOf('a1').reconnectGraceMs === DEFAULT_RECONNECT_GRACE_MS); // true
export {};
