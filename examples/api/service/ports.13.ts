// Example 13 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { TimeWindow } from 'agent-presence/service';
const shift: TimeWindow = { from: Date.UTC(2026, 0, 5, 9), to: Date.UTC(2026, 0, 5, 17) };
export {};
