// Example 2 of the TSDoc in src/redis/createRedisPresence.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService } from 'agent-presence/service';
import { createRedisPresence } from 'agent-presence/redis';
import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', disableOfflineQueue: true }); // await client.connect() before use
const redis = createRedisPresence(client, { keyPrefix: 'presence:' });
const service = createPresenceService({ machine: createPresenceMachine({}), ...redis.ports });
// Once connected: redis.start(service); … await redis.stop(); await service.close(); await client.close();
export {};
