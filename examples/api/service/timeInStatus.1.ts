// Example 1 of the TSDoc in src/service/timeInStatus.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { TimeInStatus } from 'agent-presence/service';
const share = (t: TimeInStatus) => t.byBase.Available / (t.to - t.from);
export {};
