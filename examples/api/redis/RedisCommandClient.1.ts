// Example 1 of the TSDoc in src/redis/RedisCommandClient.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createClient } from 'redis';
import type { RedisCommandClient } from 'agent-presence/redis';
// Not connected here; call `await client.connect()` before the first command.
const client: RedisCommandClient = createClient({ url: 'redis://127.0.0.1:6379', disableOfflineQueue: true });
export {};
