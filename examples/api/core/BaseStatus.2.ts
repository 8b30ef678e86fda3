// Example 2 of the TSDoc in src/core/BaseStatus.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { BaseStatus } from 'agent-presence';
const routable: BaseStatus[] = ['Available', 'Busy'];
export {};
