// Example 3 of the TSDoc in src/core/BaseStatus.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { isBaseStatus } from 'agent-presence';
isBaseStatus('Away'); // true
isBaseStatus('away'); // false: base statuses are case-sensitive
export {};
