// Example 13 of the TSDoc in src/service/ports.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { TimeWindow } from 'agent-presence/service';
const shift: TimeWindow = { from: Date.UTC(2026, 0, 5, 9), to: Date.UTC(2026, 0, 5, 17) };
export {};
