// Example 1 of the TSDoc in src/core/Transition.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { RejectionCode } from 'agent-presence';
const retryable = (code: RejectionCode) => code === 'NOT_SIGNED_IN';
export {};
