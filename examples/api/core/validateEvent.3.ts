// Example 3 of the TSDoc in src/core/validateEvent.ts, copied by `npm run examples:extract`: edit it there, not here.
import { validateEvent } from 'agent-presence';
validateEvent({ type: 'workAssigned', workItemId: 'c1', units: -5, at: 0 });
// [{ path: ['units'], message: 'must be a finite number ≥ 0 (got -5)' }]
export {};
