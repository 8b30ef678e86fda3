// Example 1 of the TSDoc in src/core/PresenceState.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { PresenceSource } from 'agent-presence';
const explain: Record<PresenceSource, string> = {
  default: 'default presence at sign-in', manual: 'chosen by the agent',
  capacity: 'from capacity use', signOut: 'signed out',
};
export {};
