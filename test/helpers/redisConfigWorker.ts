/**
 * One application server of test/redis/redis-config-reaches-every-process.test.ts, run with `node --import tsx` by
 * child_process.fork. It starts with a machine of its own, follows the config kept in Redis (telling the parent of
 * each version it takes up), and, once told to start, sets its agents' presence back and forth between 'coffee' and
 * 'available' as fast as it can until told to stop; then it reports the config it runs and what it did. With SLOW=1
 * it reads the config every ten minutes only. It connects to what the parent's target names (one redis-server or the
 * Cluster).
 */
import { createPresenceMachine } from '../../src/index';
import { createRedisPresence } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { connectTargetFromEnv } from './redisTarget';

export type ConfigWorkerMessage =
  | { t: 'config'; version: number }
  | { t: 'progress'; events: number }
  | { t: 'report'; version: number | undefined; config: unknown; coffee: number; refused: number; events: number };
export type ConfigParentMessage = { t: 'start' } | { t: 'stop' };

const worker = Number(process.env.WORKER);
const send = (message: ConfigWorkerMessage) => process.send?.(message);
const client = await connectTargetFromEnv();
const redis = createRedisPresence(client, { keyPrefix: process.env.PREFIX as string, shards: 4 });
const service = createPresenceService({ machine: createPresenceMachine({ defaultProfile: { capacity: 5 } }), ...redis.ports, maxAttempts: 100 });
// A slow worker reads the config every ten minutes only (no blocking read): it learns of a new one from its refused saves.
const slow = process.env.SLOW === '1' ? { blockingClient: null, pollMs: 600_000 } : {};
const started = redis.start(service, { config: { onChange: ({ version }) => send({ t: 'config', version }), ...slow }, timers: { pollMs: 60_000 } });
const agents = Array.from({ length: 20 }, (_, i) => `w${worker}-a${i}`);
let stopped = false;
let events = 0;
let coffee = 0;
let refused = 0;

async function lane(agentId: string): Promise<void> {
  await service.dispatch(agentId, { type: 'signIn' });
  for (let i = 0; !stopped; i++) {
    const presenceId = i % 2 === 0 ? 'coffee' : 'available';
    const result = await service.dispatch(agentId, { type: 'setPresence', presenceId });
    if (presenceId === 'coffee' && result.rejection === undefined) coffee++;
    if (result.rejection?.code === 'UNKNOWN_PRESENCE') refused++;
    if (++events % 100 === 0) send({ t: 'progress', events });
  }
}

let lanes: Promise<void[]> | undefined;
process.on('message', (message: ConfigParentMessage) => {
  if (message.t === 'start') lanes = Promise.all(agents.map(lane));
  else {
    stopped = true;
    void (async () => {
      await lanes;
      send({ t: 'report', version: started.config?.version, config: service.machine.config, coffee, refused, events });
      await redis.stop();
      await service.close();
      await client.close();
      process.disconnect();
    })();
  }
});
