// Example 1 of the TSDoc in src/core/validateConfig.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { validateConfig } from 'agent-presence';
const issues = validateConfig({ capacityPresences: { full: 'away' } });
console.log(issues[0]?.message); // must name a presence of base BusyDND (got "away" of base Away)
export {};
