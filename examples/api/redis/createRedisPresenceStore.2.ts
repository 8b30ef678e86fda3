// Example 2 of the TSDoc in src/redis/createRedisPresenceStore.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createClient } from 'redis';
import { createRedisPresenceStore, type RedisPresenceStore } from 'agent-presence/redis';
const store: RedisPresenceStore = createRedisPresenceStore(createClient(), { shards: 4 });
console.log(store.keysOf('agent-7').shard < 4); // true
export {};
