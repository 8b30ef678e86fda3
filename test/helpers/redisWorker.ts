/**
 * One application server of the multi-process test (test/redis/redis-processes-share-agents.test.ts), run with
 * `node --import tsx` by child_process.fork. It owns the work items `w<n>-…`, assigns and releases them on the
 * shared agents through its own presence service on Redis (routing through its stream-fed roster with
 * assignIfAvailable, or forced), picks presences by hand, follows the stream and runs the Redis timers. It tells
 * the parent each event before sending it and the outcome after, so the parent knows every event even if this
 * process is killed.
 */
import type { PresenceEvent, WorkAssignedEvent } from '../../src/index';
import { assignIfAvailable, createPresenceService, type PresenceChange } from '../../src/service/index';
import { createRedisPresence, type RedisTimerClaim } from '../../src/redis/index';
import { MULTI_PROCESS, multiProcessMachine, type ParentMessage, type WorkerMessage, type WorkerEvent } from './redisMultiProcess';
import { connectTargetFromEnv } from './redisTarget';
import { seededRandom } from './service';

const worker = Number(process.env.WORKER);
const send = (message: WorkerMessage) => process.send?.(message);
const random = seededRandom(1_000 + worker);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const client = await connectTargetFromEnv();
const redis = createRedisPresence(client, MULTI_PROCESS.redis);
const service = createPresenceService({ machine: multiProcessMachine, ...redis.ports, maxAttempts: 1_000, onError: () => {} });
const heard = new Map<string, { version: number; presenceId: string }>();
service.subscribe((change: PresenceChange) => {
  const last = heard.get(change.agentId);
  if (last === undefined || last.version < change.version) heard.set(change.agentId, { version: change.version, presenceId: change.to.presenceId });
});
const started = redis.start(service, { follow: { pollMs: 20 }, timers: { pollMs: 50 } });

let sequence = 0;
/** Dispatches one event, telling the parent before and after. */
async function run(kind: WorkerEvent['kind'], agentId: string, event: PresenceEvent): Promise<{ applied: boolean; rejected: boolean }> {
  const eventId = `w${worker}-e${sequence++}`;
  const withId = { ...event, eventId } as WorkerEvent['event'];
  send({ t: 'intent', event: { kind, agentId, event: withId, worker } });
  const result =
    kind === 'route'
      ? await assignIfAvailable(service, agentId, withId as WorkAssignedEvent, { bases: MULTI_PROCESS.routedBases })
      : await service.dispatch(agentId, withId);
  send({ t: 'ack', eventId, declined: result.declined === true, rejected: result.rejection?.code ?? null, duplicate: result.duplicate });
  return { applied: result.declined !== true && result.rejection === undefined, rejected: result.rejection !== undefined };
}

const agents = Array.from({ length: MULTI_PROCESS.agents }, (_, i) => MULTI_PROCESS.agentId(i));
const shared = agents.filter((id) => !MULTI_PROCESS.timerAgents.includes(id));
const held: { agentId: string; workItemId: string }[] = [];
let items = 0;
let workEvents = 0;
let workLimit = Number(process.env.WORK_EVENTS);
let picks = 0;

/** One lane: assign and release (and now and then a manual pick) until the worker's share is done. */
async function lane(): Promise<void> {
  while (workEvents < workLimit) {
    const n = ++workEvents;
    const at = Date.now();
    if (held.length > 0 && random() < 0.45) {
      const [item] = held.splice(Math.floor(random() * held.length), 1);
      const { agentId, workItemId } = item!;
      const wrapUp = random() < 0.3 ? { wrapUpMs: 100 } : {};
      const { applied } = await run('release', agentId, { type: 'workReleased', workItemId, at, ...wrapUp });
      if (!applied) throw new Error(`release of ${workItemId} on ${agentId} was not applied`);
    } else {
      const workItemId = `w${worker}-i${items++}`;
      const units = pick([10, 20, 30, 40]);
      let agentId: string;
      let kind: 'route' | 'force' = 'force';
      if (random() < 0.6) {
        const found = (await service.findAvailable({ units, bases: MULTI_PROCESS.routedBases, limit: 10, order: 'mostFree' })).filter(
          (c) => !MULTI_PROCESS.timerAgents.includes(c.agentId),
        );
        agentId = found.length > 0 ? pick(found).agentId : pick(shared);
        kind = found.length > 0 ? 'route' : 'force';
      } else {
        agentId = pick(shared);
      }
      const { applied } = await run(kind, agentId, { type: 'workAssigned', workItemId, units, at });
      if (applied) held.push({ agentId, workItemId });
    }
    if (n % MULTI_PROCESS.pickEvery === 0) {
      picks++;
      await run('pick', pick(shared), { type: 'setPresence', presenceId: pick(['available', 'busy', 'away', 'busy-dnd']), at: Date.now() });
    }
  }
}

const onMessage = async (message: ParentMessage) => {
  if (message.t === 'start') {
    await Promise.all(Array.from({ length: MULTI_PROCESS.lanes }, lane));
    send({ t: 'done', picks });
  } else if (message.t === 'claim-and-die') {
    // Release an item on each timer agent with a wrap-up, claim their timers, and wait to be killed.
    for (const agentId of MULTI_PROCESS.timerAgents) {
      const workItemId = `w${worker}-i${items++}`;
      await run('setup', agentId, { type: 'workAssigned', workItemId, units: 10, at: Date.now() });
      await run('setup', agentId, { type: 'workReleased', workItemId, at: Date.now(), wrapUpMs: MULTI_PROCESS.timerWrapUpMs });
    }
    const claimNow = Date.now() + MULTI_PROCESS.timerWrapUpMs + 500;
    const claims: RedisTimerClaim[] = await redis.timers.claimDue(claimNow, 1_000);
    send({ t: 'claimed', claims, leaseUntil: claimNow + MULTI_PROCESS.redis.leaseMs });
  } else if (message.t === 'takeover') {
    for (const { agentId, workItemId } of message.items) {
      await run('takeover', agentId, { type: 'workReleased', workItemId, at: Date.now() });
    }
    // And the share of work it did not get to, on top of this worker's own.
    workLimit += message.extraWork;
    await Promise.all(Array.from({ length: MULTI_PROCESS.lanes }, lane));
    send({ t: 'takeover-done' });
  } else if (message.t === 'report') {
    await started.follower.caughtUp();
    const roster = await service.findAvailable({ units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'], limit: 1_000, order: 'mostFree' });
    send({ t: 'report', roster: roster.map((c) => [c.agentId, c.version]), heard: [...heard].map(([agentId, h]) => [agentId, h.version, h.presenceId]) });
  } else if (message.t === 'stop') {
    await redis.stop();
    await service.close();
    await client.close();
    send({ t: 'stopped' });
    process.disconnect();
  }
};
process.on('message', (message: ParentMessage) => void onMessage(message));
send({ t: 'ready' });
