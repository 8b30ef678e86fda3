// Example 3 of the TSDoc in src/redis/createRedisChangeStream.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { RedisChangeBatch } from 'agent-presence/redis';
const summary = (batch: RedisChangeBatch) => `${batch.entries.length} entries${batch.gap ? ' (some were trimmed before they were read)' : ''}`;
export {};
