// Example 7 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { SaveContext } from 'agent-presence/service';
const context: SaveContext = {
  change: {
    agentId: 'agent-7',
    from: { presenceId: 'offline', base: 'Offline', name: 'Offline', text: 'Offline', source: 'default', since: 0 },
    to: { presenceId: 'available', base: 'Available', name: 'Available', text: 'Available', source: 'capacity', since: 1_000 },
    at: 1_000,
    source: 'capacity',
    eventId: 'e1',
  },
  eventId: 'e1',
};
export {};
