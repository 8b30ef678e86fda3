// Example 1 of the TSDoc in src/redis/RedisPresenceOptions.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisPresenceOptions } from 'agent-presence/redis';
const options: RedisPresenceOptions = { keyPrefix: 'presence:', shards: 16, maxLen: 200_000, leaseMs: 30_000 };
export {};
