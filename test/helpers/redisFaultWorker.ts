/**
 * One application server of the fault tests (test/redis/redis-fault-*.test.ts), run with `node --import tsx` by
 * child_process.fork: a presence service on Redis that follows the change stream and runs the Redis timers, and
 * records everything it is told — listener changes, `onEntry` calls, the follower's, the timers' and the service's
 * `onError` reports — for the parent to check. `onEntry` throws once for the flaky agent's first entry and always
 * for the broken agent's.
 */
import { createPresenceService, type PresenceChange, type PresenceService } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { faultMachine, reportError, type FaultConfig, type FaultParentMessage, type FaultWorkerMessage, type ReportedError } from './redisFault';
import { connectClient } from './redisServer';

const config = JSON.parse(process.env.FAULT_CONFIG as string) as FaultConfig;
const send = (message: FaultWorkerMessage) => process.send?.(message);

const client = await connectClient(process.env.REDIS_URL as string);
const redis = createRedisPresence(client, config.redis);
const serviceErrors: ReportedError[] = [];
const service = createPresenceService({
  machine: faultMachine,
  ...redis.ports,
  onError: (error, context) => serviceErrors.push(reportError(error, { kind: context.kind, agentId: context.agentId })),
});
const heard: [string, number, string][] = [];
service.subscribe((change: PresenceChange) => heard.push([change.agentId, change.version, change.to.presenceId]));

const onEntryCalls: Record<string, number> = {};
const followerErrors: ReportedError[] = [];
const timerErrors: ReportedError[] = [];
let flakyThrown = false;
const started = redis.start(service, {
  follow: {
    pollMs: 20,
    onEntry: (entry) => {
      const key = `${entry.agentId} v${entry.version}`;
      onEntryCalls[key] = (onEntryCalls[key] ?? 0) + 1;
      if (entry.agentId === config.flakyAgent && !flakyThrown) {
        flakyThrown = true;
        throw new Error('a listener bug that passes');
      }
      if (entry.agentId === config.brokenAgent) throw new Error('a listener bug that stays');
    },
    onError: (error) => followerErrors.push(reportError(error)),
  },
  timers: { pollMs: 50, onError: (error, agentId) => timerErrors.push(reportError(error, agentId === undefined ? {} : { agentId })) },
});

const everyBase = { units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'] as const, limit: 10_000, order: 'mostFree' as const };
const route = async () => {
  try {
    return {
      roster: (await service.findAvailable({ ...everyBase, bases: [...everyBase.bases] })).map((c): [string, number] => [c.agentId, c.version]),
      error: null,
    };
  } catch (error) {
    return { roster: null, error: reportError(error) };
  }
};
/** Resolves true once the follower caught up; false if it has not after 10 s (the test fails on it). */
const caughtUp = () =>
  Promise.race([started.follower.caughtUp().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref())]);
// Read without assuming this version of the service has it, so the worker also runs against the code before the fix.
const unreadableAgents = () => (service as Partial<PresenceService>).unreadableAgents?.().map((a) => reportError(a.error)) ?? null;

const onMessage = async (message: FaultParentMessage) => {
  if (message.t === 'route') {
    send({ t: 'routed', ...(await route()) });
  } else if (message.t === 'dispatch') {
    const results = await Promise.all(
      message.agents.map(async (agentId) => {
        try {
          const result = await service.dispatch(agentId, message.event);
          return { agentId, version: result.version, error: null };
        } catch (error) {
          return { agentId, version: null, error: reportError(error) };
        }
      }),
    );
    send({ t: 'dispatched', results });
  } else if (message.t === 'repair') {
    const results = [];
    for (const agentId of message.agents) {
      try {
        const repair = await (service as Partial<PresenceService>).repairAgent!(agentId, { replaceNewerSchema: message.replaceNewerSchema === true });
        results.push({ agentId, repair: JSON.parse(JSON.stringify(repair)) as Record<string, unknown>, error: null });
      } catch (error) {
        results.push({ agentId, repair: null, error: reportError(error) });
      }
    }
    send({ t: 'repaired', results });
  } else if (message.t === 'report') {
    const ok = await caughtUp();
    const { roster, error } = await route();
    send({
      t: 'report',
      report: { caughtUp: ok, heard, onEntryCalls, followerErrors, timerErrors, serviceErrors, unreadable: unreadableAgents(), roster, rosterError: error },
    });
  } else if (message.t === 'stop') {
    await Promise.race([redis.stop(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await service.close();
    await client.close();
    send({ t: 'stopped' });
    process.disconnect();
  }
};
process.on('message', (message: FaultParentMessage) => void onMessage(message));
send({ t: 'ready' });
