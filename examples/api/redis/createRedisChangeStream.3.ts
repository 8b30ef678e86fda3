// Example 3 of the TSDoc in src/redis/createRedisChangeStream.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisChangeBatch } from 'agent-presence/redis';
const summary = (batch: RedisChangeBatch) => `${batch.entries.length} entries${batch.gap ? ' (some were trimmed before they were read)' : ''}`;
export {};
