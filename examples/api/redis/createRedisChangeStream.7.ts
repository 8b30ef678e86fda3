// Example 7 of the TSDoc in src/redis/createRedisChangeStream.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService } from 'agent-presence/service';
import { createRedisChangeStream, createRedisPresenceStore } from 'agent-presence/redis';
import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }); // await client.connect() before use
const options = { keyPrefix: 'presence:' };
const service = createPresenceService({ machine: createPresenceMachine({}), store: createRedisPresenceStore(client, options) });
const changes = createRedisChangeStream(client, options);
// Once connected: const follower = changes.follow(service); … await follower.stop();
export {};
