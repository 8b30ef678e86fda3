// Example 1 of the TSDoc in src/core/EVENT_TYPES.ts, copied by `npm run examples:extract`: edit it there, not here.
import { EVENT_TYPES } from 'agent-presence';
EVENT_TYPES.includes('signIn'); // true
export {};
