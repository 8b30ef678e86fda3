// Example 3 of the TSDoc in src/redis/createRedisPresenceStore.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService } from 'agent-presence/service';
import { createRedisPresenceStore } from 'agent-presence/redis';
import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', disableOfflineQueue: true }); // await client.connect() before use
const service = createPresenceService({
  machine: createPresenceMachine({}),
  store: createRedisPresenceStore(client, { keyPrefix: 'presence:' }),
});
export {};
