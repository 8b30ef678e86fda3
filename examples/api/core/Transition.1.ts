// Example 1 of the TSDoc in src/core/Transition.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RejectionCode } from 'agent-presence';
const retryable = (code: RejectionCode) => code === 'NOT_SIGNED_IN';
export {};
