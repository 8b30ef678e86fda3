// Example 1 of the TSDoc in src/service/timeInStatus.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { TimeInStatus } from 'agent-presence/service';
const share = (t: TimeInStatus) => t.byBase.Available / (t.to - t.from);
export {};
