// Example 1 of the TSDoc in src/redis/createRedisPresence.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createClient } from 'redis';
import { createRedisPresence, type RedisPresence } from 'agent-presence/redis';
const redis: RedisPresence = createRedisPresence(createClient(), { keyPrefix: 'presence:' });
console.log(Object.keys(redis.ports)); // [ 'store', 'history', 'scheduler' ]
export {};
