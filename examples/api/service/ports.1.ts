// Example 1 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { EventOutcome } from 'agent-presence/service';
const outcome: EventOutcome = {
  presence: { presenceId: 'busy', base: 'Busy', name: 'Busy', text: 'Busy', source: 'capacity', since: 2_000 },
  changed: true,
};
export {};
