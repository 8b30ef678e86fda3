// Example 5 of the TSDoc in src/redis/createRedisTimers.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService } from 'agent-presence/service';
import { createRedisPresenceStore, createRedisTimers } from 'agent-presence/redis';
import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }); // await client.connect() before use
const timers = createRedisTimers(client, { leaseMs: 15_000 });
const service = createPresenceService({
  machine: createPresenceMachine({ defaultProfile: { sessionTtlMs: 60_000 } }),
  store: createRedisPresenceStore(client),
  scheduler: timers.scheduler,
});
// Once connected: const runner = timers.run(service); … await runner.stop();
export {};
