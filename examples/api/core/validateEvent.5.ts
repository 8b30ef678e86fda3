// Example 5 of the TSDoc in src/core/validateEvent.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { validateEvent } from 'agent-presence';
validateEvent({ type: 'workAssigned', workItemId: 'c1', units: -5, at: 0 });
// [{ path: ['units'], message: 'must be a finite number ≥ 0 (got -5)' }]
export {};
