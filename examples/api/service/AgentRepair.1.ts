// Example 1 of the TSDoc in src/service/AgentRepair.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { RepairOptions } from 'agent-presence/service';
// Only once every process runs the release that reads the record, or to give up what a newer release stored:
const options: RepairOptions = { replaceNewerSchema: true };
export {};
