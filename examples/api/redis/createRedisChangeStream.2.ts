// Example 2 of the TSDoc in src/redis/createRedisChangeStream.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisStreamPosition } from 'agent-presence/redis';
const fromNow: RedisStreamPosition = '$';
const resumed: RedisStreamPosition = ['1767225600000-0', '1767225600003-1']; // a follower's position, two shards
export {};
