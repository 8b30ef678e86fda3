// Example 1 of the TSDoc in src/schema/PresenceEventError.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { parseEvent, PresenceEventError } from 'agent-presence/schema';
try {
  parseEvent({ type: 'workAssigned', workItemId: 'c1', units: -1, at: 0 });
} catch (error) {
  if (error instanceof PresenceEventError) console.log(error.message);
  // Invalid presence event:
  // - units: must be a finite number ≥ 0 (got -1)
}
export {};
