// Example 2 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { SeenEvent } from 'agent-presence/service';
const seen: SeenEvent = {
  eventId: 'evt-81f2',
  seenAt: 1_700_000_000_000,
  result: {
    presence: { presenceId: 'available', base: 'Available', name: 'Available', text: 'Available', source: 'capacity', since: 1_000 },
    changed: true,
  },
};
export {};
