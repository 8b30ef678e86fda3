// Example 4 of the TSDoc in src/redis/createRedisChangeStream.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisFollowOptions } from 'agent-presence/redis';
const options: RedisFollowOptions = { from: '$', pollMs: 20, onError: (error) => console.warn('presence stream:', error) };
export {};
