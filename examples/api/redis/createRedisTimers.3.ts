// Example 3 of the TSDoc in src/redis/createRedisTimers.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisTimerRunner } from 'agent-presence/redis';
const shutdown = (runner: RedisTimerRunner) => runner.stop();
export {};
