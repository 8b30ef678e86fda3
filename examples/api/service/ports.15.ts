// Example 15 of the TSDoc in src/service/ports.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { StoreGeneration } from 'agent-presence/service';
const generation: StoreGeneration = '001767225600000-9f3a61c2';
export {};
