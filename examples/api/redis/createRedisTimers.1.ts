// Example 1 of the TSDoc in src/redis/createRedisTimers.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisTimerClaim } from 'agent-presence/redis';
const claim: RedisTimerClaim = { agentId: 'agent-7', deadline: 1_767_225_660_000 };
export {};
