// Example 4 of the TSDoc in src/redis/createRedisTimers.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createClient } from 'redis';
import { createRedisTimers, type RedisTimers } from 'agent-presence/redis';
const timers: RedisTimers = createRedisTimers(createClient(), { leaseMs: 10_000 });
timers.scheduler.cancel('agent-7'); // a no-op: the store's save keeps the timers
export {};
