/**
 * One application server of the Redis fault tests, run with `node --import tsx` by child_process.fork. It talks to
 * Redis through a proxy of its own (test/helpers/redisProxy.ts) that can drop a save's reply or move to another
 * server, runs its presence service on Redis with a counting publisher and listener, follows the change stream,
 * runs the timers, and, when told, routes work on the shared agents in lanes (findAvailable, then
 * assignIfAvailable on the best one; releases), sending an event again with its eventId when its outcome was
 * unknown. It tells the parent every acknowledged event, the losses its follower found, and reports its roster and
 * what its publisher and listener got.
 */
import { createPresenceService, type PresenceChange } from '../../src/service/index';
import { assignIfAvailable, createRedisPresence, RedisDataLossError, RedisUnavailableError } from '../../src/redis/index';
import { changeKey, FAULT, faultMachine, type FaultEvent, type FaultParentMessage, type FaultWorkerMessage } from './redisLossFault';
import { startRedisProxy } from './redisProxy';
import { connectClient } from './redisServer';
import { seededRandom } from './service';

const worker = Number(process.env.WORKER);
const post = (message: FaultWorkerMessage) => process.send?.(message);
const random = seededRandom(7_000 + worker);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

const proxy = await startRedisProxy(Number(process.env.REDIS_PORT));
const client = await connectClient(proxy.url);
const redis = createRedisPresence(client, FAULT.redis);
const published = new Map<string, number>();
const heard = new Map<string, number>();
const service = createPresenceService({
  machine: faultMachine,
  ...redis.ports,
  publisher: { publish: (change: PresenceChange) => void bump(published, changeKey(change)) },
  maxAttempts: 1_000,
  onError: () => {},
});
service.subscribe((change) => bump(heard, changeKey(change)));
const started = redis.start(service, {
  follow: {
    pollMs: 20,
    onError: (error) => {
      if (error instanceof RedisDataLossError) post({ t: 'loss', shard: error.shard, reason: error.reason, at: Date.now() });
    },
  },
  timers: { pollMs: 50, onError: () => {} },
});

const shared = Array.from({ length: FAULT.agents }, (_, i) => FAULT.agentId(i));
let running = false;
let lanes: Promise<unknown> = Promise.resolve();
let loseAckRate = 0;
let sequence = 0;
let items = 0;
let gaveUp = 0;
let declined = 0;
let routed = 0;
const held: { agentId: string; workItemId: string }[] = [];

/** Sends a lane's event until its outcome is known (the same eventId each time), telling the parent. */
async function send(kind: 'route' | 'release', agentId: string, event: FaultEvent) {
  for (;;) {
    if (loseAckRate > 0 && random() < loseAckRate) proxy.loseNextSaveReply();
    const startedAt = Date.now();
    try {
      const result =
        kind === 'route' && event.type === 'workAssigned'
          ? await assignIfAvailable(service, agentId, event, { bases: FAULT.routedBases })
          : await service.dispatch(agentId, event);
      const rejected = result.rejection?.code ?? null;
      post({ t: 'ack', eventId: event.eventId, agentId, kind, startedAt, duplicate: result.duplicate, declined: result.declined === true, rejected });
      return result;
    } catch (error) {
      if (!(error instanceof RedisUnavailableError)) throw error;
      post({ t: 'unknown', eventId: event.eventId });
      await sleep(20);
    }
  }
}

/** Routes one item: the best agent findAvailable offers, asked again after each decline, up to a limit. */
async function route(units: number) {
  const workItemId = `w${worker}-i${items++}`;
  for (let attempt = 1; attempt <= FAULT.maxRouteAttempts; attempt++) {
    const [best] = (await service.findAvailable({ units, bases: FAULT.routedBases, limit: 5, order: 'mostFree' })).filter((c) => shared.includes(c.agentId));
    if (best === undefined) return;
    const eventId = `w${worker}-e${sequence++}`;
    const result = await send('route', best.agentId, { type: 'workAssigned', workItemId, units, at: Date.now(), eventId });
    if (result.declined !== true && result.rejection === undefined) {
      routed++;
      held.push({ agentId: best.agentId, workItemId });
      return;
    }
    declined++;
    if (!running) return;
  }
  gaveUp++;
}

async function lane() {
  while (running) {
    try {
      if (held.length > 0 && random() < 0.45) {
        const [item] = held.splice(Math.floor(random() * held.length), 1);
        const eventId = `w${worker}-e${sequence++}`;
        await send('release', item!.agentId, { type: 'workReleased', workItemId: item!.workItemId, at: Date.now(), eventId });
      } else {
        const before = routed + declined + gaveUp;
        await route([10, 20, 30][Math.floor(random() * 3)]!);
        if (routed + declined + gaveUp === before) await sleep(5); // nobody to offer to
      }
    } catch {
      await sleep(20); // findAvailable while Redis is down: try again
    }
  }
}

const onMessage = async (message: FaultParentMessage) => {
  if (message.t === 'lanes') {
    loseAckRate = message.loseAckRate ?? 0;
    if (running) return; // already routing: only the rate changes
    running = true;
    lanes = Promise.all(Array.from({ length: FAULT.lanes }, lane));
  } else if (message.t === 'pause') {
    running = false;
    await lanes;
    post({ t: 'paused', gaveUp, declined, routed });
  } else if (message.t === 'dispatch') {
    if (message.loseAck === true) proxy.loseNextSaveReply(message.agentId);
    try {
      const result = await service.dispatch(message.agentId, message.event);
      post({ t: 'result', id: message.id, outcome: 'ok', duplicate: result.duplicate, version: result.version, rejected: result.rejection?.code ?? null });
    } catch (error) {
      post({ t: 'result', id: message.id, outcome: 'unknown', error: error instanceof Error ? error.message : String(error) });
    }
  } else if (message.t === 'report') {
    await started.follower.caughtUp();
    await service.flush();
    const everyone = await service.findAvailable({ units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'], limit: 1_000, order: 'mostFree' });
    const offered = await service.findAvailable({ units: 10, bases: FAULT.routedBases, limit: 1_000, order: 'mostFree' });
    post({
      t: 'report',
      roster: everyone.map((c) => [c.agentId, c.version, c.presence.presenceId, c.freeUnits]),
      offered: offered.map((c) => c.agentId),
      heard: [...heard],
      published: [...published],
      dropped: proxy.dropped,
    });
  } else if (message.t === 'retarget') {
    proxy.retarget(message.port);
    post({ t: 'retargeted' });
  } else if (message.t === 'stop') {
    running = false;
    await lanes;
    await redis.stop();
    await service.close();
    await client.close().catch(() => {});
    await proxy.close();
    post({ t: 'stopped' });
    process.disconnect();
  }
};
process.on('message', (message: FaultParentMessage) => void onMessage(message));
post({ t: 'ready' });
