// Example 6 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { SaveResult } from 'agent-presence/service';
const saved: SaveResult = { ok: true, version: 8 };
const lost: SaveResult = { ok: false, conflict: true, currentVersion: 9 };
export {};
