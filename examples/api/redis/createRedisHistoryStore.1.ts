// Example 1 of the TSDoc in src/redis/createRedisHistoryStore.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService } from 'agent-presence/service';
import { createRedisHistoryStore, createRedisPresenceStore } from 'agent-presence/redis';
import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }); // await client.connect() before use
const options = { keyPrefix: 'presence:', historyLimit: 500 };
const service = createPresenceService({
  machine: createPresenceMachine({}),
  store: createRedisPresenceStore(client, options),
  history: createRedisHistoryStore(client, options),
});
export {};
