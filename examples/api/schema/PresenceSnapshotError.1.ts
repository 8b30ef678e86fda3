// Example 1 of the TSDoc in src/schema/PresenceSnapshotError.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { restore, PresenceSnapshotError } from 'agent-presence/schema';
try {
  restore({ schemaVersion: 1, state: { agentId: '' } });
} catch (error) {
  if (error instanceof PresenceSnapshotError) console.log(error.issues[0]?.path); // ['state', 'agentId']
}
export {};
