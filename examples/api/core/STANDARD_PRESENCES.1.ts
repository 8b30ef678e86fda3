// Example 1 of the TSDoc in src/core/STANDARD_PRESENCES.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { STANDARD_PRESENCES } from 'agent-presence';
for (const p of STANDARD_PRESENCES) console.log(`${p.id}: ${p.text} (${p.base})`);
// available: Available (Available) … busy-dnd: Do not disturb (BusyDND) … away: Appear away (Away) …
export {};
