// Example 5 of the TSDoc in src/redis/createRedisChangeStream.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { RedisFollower } from 'agent-presence/redis';
async function shutdown(follower: RedisFollower) {
  await follower.stop();
  console.log('resume from', follower.position);
}
export {};
