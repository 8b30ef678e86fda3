// Example 10 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { PresenceChange, PresencePublisher } from 'agent-presence/service';
const sent: string[] = [];
const publisher: PresencePublisher = {
  async publish(change: PresenceChange) {
    sent.push(JSON.stringify(change)); // e.g. await broker.send('presence', JSON.stringify(change))
  },
};
export {};
