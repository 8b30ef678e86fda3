// Example 1 of the TSDoc in src/redis/RedisPresenceOptions.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { RedisPresenceOptions } from 'agent-presence/redis';
const options: RedisPresenceOptions = { keyPrefix: 'presence:', shards: 16, maxLen: 200_000, leaseMs: 30_000 };
export {};
