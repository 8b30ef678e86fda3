// Example 1 of the TSDoc in src/core/PresenceConfigError.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine, PresenceConfigError } from 'agent-presence';
try {
  createPresenceMachine({ presences: [{ id: 'away', name: 'Away again', base: 'Away' }] });
} catch (error) {
  if (error instanceof PresenceConfigError) {
    for (const issue of error.issues) console.log(issue.path.join('.'), issue.message);
  }
}
export {};
