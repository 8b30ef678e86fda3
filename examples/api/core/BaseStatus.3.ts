// Example 3 of the TSDoc in src/core/BaseStatus.ts, copied by `npm run examples:extract`: edit it there, not here.
import { isBaseStatus } from 'agent-presence';
isBaseStatus('Away'); // true
isBaseStatus('away'); // false: base statuses are case-sensitive
export {};
