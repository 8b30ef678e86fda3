// Example 1 of the TSDoc in src/redis/createRedisPresenceStore.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createClient } from 'redis';
import { createRedisPresenceStore, type RedisAgentKeys } from 'agent-presence/redis';
const keys: RedisAgentKeys = createRedisPresenceStore(createClient(), { keyPrefix: 'presence:' }).keysOf('agent-7');
console.log(keys.record, keys.stream); // presence:{0}:agent:agent-7 presence:{0}:changes
export {};
