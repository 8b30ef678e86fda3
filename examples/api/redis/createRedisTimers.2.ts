// Example 2 of the TSDoc in src/redis/createRedisTimers.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisTimerRunOptions } from 'agent-presence/redis';
const options: RedisTimerRunOptions = { pollMs: 500, limit: 200, onError: (error, agentId) => console.warn('tick failed', agentId, error) };
export {};
