// Example 4 of the TSDoc in src/schema/snapshot.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { restore, snapshot, PresenceSnapshotError } from 'agent-presence/schema';
const state = createPresenceMachine({}).initialState('agent-7');
const text = JSON.stringify(snapshot(state));
console.log(restore(text).presenceId); // offline
try {
  restore({ schemaVersion: 1, state: { ...state, work: [{ workItemId: 'c1', units: -1, since: 0 }] } });
} catch (error) {
  if (error instanceof PresenceSnapshotError) console.log(error.message);
  // Invalid presence snapshot:
  // - state.work[0].units: must be a finite number ≥ 0 (got -1)
}
export {};
