// Example 1 of the TSDoc in src/core/PresenceState.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { PresenceSource } from 'agent-presence';
const offline: PresenceSource[] = ['signOut', 'expired', 'disconnected'];
export {};
