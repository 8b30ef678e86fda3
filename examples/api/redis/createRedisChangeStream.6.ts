// Example 6 of the TSDoc in src/redis/createRedisChangeStream.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createClient } from 'redis';
import { createRedisChangeStream, type RedisChangeStream } from 'agent-presence/redis';
const changes: RedisChangeStream = createRedisChangeStream(createClient(), { keyPrefix: 'presence:' });
console.log(changes.streams); // [ 'presence:{0}:changes' ]
export {};
