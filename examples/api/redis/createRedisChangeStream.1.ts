// Example 1 of the TSDoc in src/redis/createRedisChangeStream.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { RedisChangeEntry } from 'agent-presence/redis';
const describe = (e: RedisChangeEntry) =>
  `${e.id} ${e.agentId} v${e.version}${e.change ? `: ${e.change.from.text} → ${e.change.to.text}` : ''}`;
export {};
