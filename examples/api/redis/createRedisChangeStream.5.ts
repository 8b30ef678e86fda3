// Example 5 of the TSDoc in src/redis/createRedisChangeStream.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisFollower } from 'agent-presence/redis';
async function shutdown(follower: RedisFollower) {
  await follower.stop();
  console.log('resume from', follower.position);
}
export {};
