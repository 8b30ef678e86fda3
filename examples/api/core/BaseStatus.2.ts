// Example 2 of the TSDoc in src/core/BaseStatus.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { BaseStatus } from 'agent-presence';
const routable: BaseStatus[] = ['Available', 'Busy'];
export {};
