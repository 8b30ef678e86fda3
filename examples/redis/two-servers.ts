/**
 * Two application servers sharing agents through Redis, in one script: each has its own client and its own
 * presence service on the Redis adapters, follows the other's saves through the change stream, and runs the
 * Redis timers. Chats are routed from one server's roster and assigned with assignIfAvailable; the other
 * server's listeners hear of it; a session that stops sending heartbeats expires by a Redis timer; time in
 * status comes from the Redis history.
 *
 * Needs a Redis ≥ 7 at REDIS_URL, e.g. `redis-server --port 6379 --save "" --appendonly no` and then
 * `REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/redis/two-servers.ts`; the tests run it against their own
 * redis-server (test/redis/redis-example-runs.test.ts). It writes under the key prefix `agent-presence-example:<time>:`
 * and deletes those keys at the end.
 */
import { createClient } from 'redis';
import { createPresenceMachine } from 'agent-presence';
import { assignIfAvailable, createPresenceService } from 'agent-presence/service';
import { createRedisPresence } from 'agent-presence/redis';

const url = process.env.REDIS_URL ?? '';
if (url === '') {
  console.error('Set REDIS_URL to a Redis ≥ 7, e.g. REDIS_URL=redis://127.0.0.1:6379');
  process.exit(2);
}

// Sessions expire without a heartbeat for 10 s; ben's laptop, for the demo, after 300 ms.
const machine = createPresenceMachine({
  defaultProfile: { capacity: 100, maxWorkItems: 3, sessionTtlMs: 10_000 },
  agents: { ben: { capacity: 100, maxWorkItems: 3, sessionTtlMs: 300 } },
});
const keyPrefix = `agent-presence-example:${Date.now()}:`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One application server: a client, the Redis adapters, a service that follows the stream and runs the timers. */
async function appServer(name: string) {
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', (error: Error) => console.error(`${name}: redis: ${error.message}`));
  await client.connect();
  // The switch from the in-memory default: the Redis ports in, and start following and ticking.
  const redis = createRedisPresence(client, { keyPrefix });
  const service = createPresenceService({ machine, ...redis.ports });
  const { follower } = redis.start(service, { follow: { pollMs: 10 }, timers: { pollMs: 50 } });
  service.subscribe((c) => console.log(`  [${name}] ${c.agentId}: ${c.from.text} → ${c.to.text} (${c.source}, v${c.version})`));
  return { client, redis, service, follower };
}

const east = await appServer('east');
const west = await appServer('west');
await Promise.all([east.follower.caughtUp(), west.follower.caughtUp()]);
const start = Date.now();

console.log('east signs ana and ben in; west hears of it through the stream:');
await east.service.dispatch('ana', { type: 'signIn', at: Date.now(), eventId: 'ana-in', sessionId: 'ana-desk' });
await sleep(5);
await east.service.dispatch('ben', { type: 'signIn', at: Date.now(), eventId: 'ben-in', sessionId: 'ben-laptop' });
await west.follower.caughtUp();

console.log('\nwest routes three 40-unit chats from its roster; each assignment re-checks capacity in the compare-and-set:');
const bases = ['Available', 'Busy'] as const;
for (const n of [1, 2, 3]) {
  const [best] = await west.service.findAvailable({ units: 40, bases, limit: 1, order: 'mostFree' });
  if (best === undefined) break;
  const event = { type: 'workAssigned', workItemId: `chat-${n}`, units: 40, at: Date.now(), eventId: `chat-${n}` } as const;
  const result = await assignIfAvailable(west.service, best.agentId, event, { bases });
  console.log(`  chat-${n} → ${best.agentId}: ${result.declined ? 'declined (filled up meanwhile)' : `assigned (${result.state.work.length} held)`}`);
  await sleep(5);
}
await east.follower.caughtUp();

console.log("\nana's desk sends heartbeats; ben's laptop goes quiet and his session expires by a Redis timer:");
for (let i = 0; i < 100 && (await west.service.get('ben')).presence.source !== 'expired'; i++) {
  await sleep(100);
  await east.service.dispatch('ana', { type: 'heartbeat', sessionId: 'ana-desk', at: Date.now() });
}
await Promise.all([east.follower.caughtUp(), west.follower.caughtUp()]);
for (const agentId of ['ana', 'ben']) {
  const { presence, version } = await west.service.get(agentId);
  console.log(`  ${agentId}: ${presence.text} (${presence.source}), v${version}`);
}

console.log('\nthe chat platform redelivers chat-1 to east: applied once, whichever server gets it');
const again = await east.service.dispatch('ana', { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: start, eventId: 'chat-1' });
console.log(`  duplicate=${again.duplicate}, still v${again.version}`);

const time = await east.service.timeInStatus('ana', { from: start, to: Date.now() });
const presences = Object.keys(time.byPresence).filter((id) => (time.byPresence[id] ?? 0) > 0);
console.log(`\nana's presences since the start, from the Redis history: ${presences.join(', ')}`);

// Stop following and ticking, then delete the example's keys.
for (const server of [east, west]) {
  await server.redis.stop();
  await server.service.close();
}
let cursor = '0';
do {
  const [next, keys] = await east.client.sendCommand<[string, string[]]>(['SCAN', cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', '100']);
  cursor = next;
  if (keys.length > 0) await east.client.sendCommand(['UNLINK', ...keys]);
} while (cursor !== '0');
await Promise.all([east.client.close(), west.client.close()]);
