// Example 1 of the TSDoc in src/core/validateConfig.ts, copied by `npm run examples:extract`: edit it there, not here.
import { validateConfig } from 'agent-presence';
const issues = validateConfig({ capacityPresences: { full: 'away' } });
console.log(issues[0]?.message); // must name a presence of base BusyDND (got "away" of base Away)
export {};
