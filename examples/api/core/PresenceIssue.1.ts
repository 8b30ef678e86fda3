// Example 1 of the TSDoc in src/core/PresenceIssue.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { PresenceConfigError, createPresenceMachine } from 'agent-presence';
try {
  createPresenceMachine({ defaultProfile: { capacity: -1 } });
} catch (error) {
  if (error instanceof PresenceConfigError) console.log(error.issues[0]?.path); // ['defaultProfile', 'capacity']
}
export {};
