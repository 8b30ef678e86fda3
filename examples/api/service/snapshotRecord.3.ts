// Example 3 of the TSDoc in src/service/snapshotRecord.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { restoreRecord, snapshotRecord } from 'agent-presence/service';
const text = JSON.stringify(snapshotRecord({ state: createPresenceMachine({}).initialState('a1'), seen: [] }));
console.log(restoreRecord(text).state.agentId); // a1
try {
  restoreRecord({ ...JSON.parse(text), seen: [{ eventId: '', seenAt: 0 }] });
} catch (error) {
  console.log((error as Error).message.split('\n')[1]); // - seen[0].eventId: must be a non-empty string of ≤ 256 characters (got "")
}
export {};
