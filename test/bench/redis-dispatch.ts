/**
 * Benchmark: `dispatch` through the presence service on the Redis adapters at 100,000 agents, against a local
 * redis-server the benchmark starts itself (127.0.0.1, no persistence), with 1, 2 and 4 processes
 * (child_process.fork). Run with `npm run bench:redis`; it measures, it asserts nothing. Record the results in
 * docs/performance.md with the machine and its load.
 *
 * - 100,000 agents are signed in first, each with two sessions (`desk`, `phone`).
 * - Each process serves its share of the agents (agent i goes to process i mod P, as a load balancer keeping each
 *   agent's connections on one server would), and keeps their records (`recordCacheSize`), read once before the
 *   clock starts. It follows no change stream: routing reads the roster the save script keeps in Redis. It runs the
 *   Redis timers.
 * - The mix, per dispatch: 60 % heartbeats (either session, no event id), 15 % assignments (`assignIfAvailable`,
 *   20 units, with an event id), 15 % releases of an item held, 10 % presence picks (Available ↔ Away). Every 20th
 *   step a process also asks `findAvailable` (5 agents, 20 units, Available or Busy, most free or longest idle), timed
 *   apart.
 * - Reported: aggregate dispatches per second, p50/p99 latency of a dispatch, p99 of findAvailable, redis-server's
 *   CPU share (from /proc/<pid>/stat), and Redis memory per agent (INFO memory, MEMORY USAGE of each kind of key).
 * - `BENCH_AGENTS` and `BENCH_DISPATCHES` shrink it; `BENCH_PROCESSES` picks the rows (`1,2,4`); `BENCH_COMMAND_TIMEOUT`
 *   sets node-redis's per-command timeout in ms (0: none; unset: its default, 5 s) for every client of the bench;
 *   `BENCH_REDIS_NICE` the nice value redis-server runs the rows with (default 0: as started; -10 puts it ahead of the
 *   bench's own processes, and needs root). On 2 cores shared by redis-server and the workers, Redis waiting for a core
 *   behind them is what made throughput fall as processes were added; a deployment gives Redis its own core, or this
 *   priority. Compare runs, not rows of one run: each row starts from the agents the rows before it left.
 */
import { getPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createPresenceMachine } from '../../src/index';
import { assignIfAvailable, createPresenceService, type RosterQuery } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { forkWorkers, loadAverage, machineLine, percentile, prioritise, redisCpu, type WorkerMessage } from './redis/benchWorkers';
import { connectClient, startRedisServer } from '../helpers/redisServer';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 100_000);
const DISPATCHES = Number(process.env.BENCH_DISPATCHES ?? 120_000);
const LANES = 16;
/** node-redis's per-command timeout, ms (`commandOptions.timeout`; 0: none); its default (5 s) when unset. */
const COMMAND_TIMEOUT = process.env.BENCH_COMMAND_TIMEOUT === undefined ? undefined : Number(process.env.BENCH_COMMAND_TIMEOUT);
/** The rows: how many processes each (`BENCH_PROCESSES=1,2,4` by default). */
const ROWS = (process.env.BENCH_PROCESSES ?? '1,2,4').split(',').map(Number);
/** redis-server's nice value for the rows (`BENCH_REDIS_NICE`, 0 by default). */
const NICE = Number(process.env.BENCH_REDIS_NICE ?? 0);
const OPTIONS = { keyPrefix: 'bench:', shards: 4, maxLen: 20_000, recordCacheSize: 150_000 };
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, maxWorkItems: 4, sessionTtlMs: 15 * 60_000 } });
const agentId = (i: number) => `agent-${i}`;

interface Result {
  readonly latencies: number[];
  readonly finds: number[];
  readonly start: number;
  readonly end: number;
  /** The worker's CPU time over the run, µs (user + system, from process.cpuUsage). */
  readonly cpu: number;
}

type Message = WorkerMessage<Result>;

/** One process: its share of the agents, read once (or signed in, when seeding), then `count` dispatches of the mix. */
async function work(url: string, worker: number, workers: number, count: number, seed: boolean): Promise<void> {
  const client = await connectClient(url, () => {}, COMMAND_TIMEOUT === undefined ? {} : { timeout: COMMAND_TIMEOUT });
  const redis = createRedisPresence(client, OPTIONS);
  const service = createPresenceService({ machine, ...redis.ports, maxAttempts: 100, onError: () => {} });
  const mine = Array.from({ length: Math.ceil((AGENTS - worker) / workers) }, (_, k) => worker + k * workers);
  let next = 0;
  // Seeding signs each agent in with both sessions; otherwise each record is read once (as a server that has been up).
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < mine.length) {
        const id = agentId(mine[next++]!);
        if (seed) {
          await service.dispatch(id, { type: 'signIn', sessionId: 'desk' });
          await service.dispatch(id, { type: 'signIn', sessionId: 'phone' });
        } else {
          await service.get(id);
        }
      }
    }),
  );
  if (seed) {
    process.send?.({ t: 'done', result: { latencies: [], finds: [], start: 0, end: 0, cpu: 0 } } satisfies Message, () => process.disconnect());
    await service.close();
    await client.close();
    return;
  }
  const timers = redis.timers.run(service, { pollMs: 200 });
  process.send?.({ t: 'ready' } satisfies Message);
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const held = new Map<string, string[]>();
  const away = new Set<string>();
  const latencies: number[] = [];
  const finds: number[] = [];
  let n = 0;
  let random = 0x9e3779b9 ^ worker;
  const rand = () => {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    return (random >>> 0) / 2 ** 32;
  };
  const cpuBefore = process.cpuUsage();
  const start = performance.timeOrigin + performance.now();
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (n < count) {
        const i = n++;
        if (i % 20 === 0) {
          const query: RosterQuery = { units: 20, bases: ['Available', 'Busy'], limit: 5, order: i % 40 === 0 ? 'mostFree' : 'longestIdle' };
          const t = performance.now();
          await service.findAvailable(query);
          finds.push(performance.now() - t);
        }
        const id = agentId(mine[Math.floor(rand() * mine.length)]!);
        const items = held.get(id) ?? [];
        const dice = rand();
        const eventId = `w${worker}-${i}`;
        const t0 = performance.now();
        if (dice < 0.6) {
          await service.dispatch(id, { type: 'heartbeat', sessionId: dice < 0.3 ? 'desk' : 'phone' });
        } else if (dice < 0.75 || (dice < 0.9 && items.length === 0)) {
          const workItemId = `c-${eventId}`;
          const result = await assignIfAvailable(
            service,
            id,
            { type: 'workAssigned', workItemId, units: 20, at: Date.now(), eventId },
            { bases: ['Available', 'Busy'] },
          );
          if (result.declined !== true && result.rejection === undefined) held.set(id, [...items, workItemId]);
        } else if (dice < 0.9) {
          const [workItemId, ...rest] = items;
          held.set(id, rest);
          await service.dispatch(id, { type: 'workReleased', workItemId: workItemId!, eventId });
        } else {
          const presenceId = away.has(id) ? 'available' : 'away';
          if (presenceId === 'away') away.add(id);
          else away.delete(id);
          await service.dispatch(id, { type: 'setPresence', presenceId, eventId });
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const end = performance.timeOrigin + performance.now();
  const { user, system } = process.cpuUsage(cpuBefore);
  await timers.stop();
  await service.close();
  await client.close();
  process.send?.({ t: 'done', result: { latencies, finds, start, end, cpu: user + system } } satisfies Message, () => process.disconnect());
}

/** Forks the workers of one row (or of the seeding). */
const runProcesses = (url: string, workers: number, seed: boolean, onStart?: () => void): Promise<Result[]> =>
  forkWorkers<Result>(import.meta.url, {
    url,
    workers,
    seed,
    env: () => ({ BENCH_COUNT: String(Math.ceil(DISPATCHES / workers)) }),
    ...(onStart !== undefined ? { onStart } : {}),
  });

if (process.env.BENCH_WORKER !== undefined) {
  await work(
    process.env.REDIS_URL as string,
    Number(process.env.BENCH_WORKER),
    Number(process.env.BENCH_WORKERS),
    Number(process.env.BENCH_COUNT),
    process.env.BENCH_SEED === '1',
  );
} else {
  const server = await startRedisServer({ own: true });
  const client = await connectClient(server.url, () => {}, COMMAND_TIMEOUT === undefined ? {} : { timeout: COMMAND_TIMEOUT });
  const info = async (section: string, field: string) =>
    Number(new RegExp(`${field}:([\\d.]+)`).exec(await client.sendCommand<string>(['INFO', section]))?.[1] ?? NaN);
  const pid = await info('server', 'process_id');
  const load = loadAverage;
  console.log(machineLine());
  try {
    const empty = await info('memory', 'used_memory');
    let t = performance.now();
    await runProcesses(server.url, 2, true);
    console.log(`seeded ${AGENTS.toLocaleString('en')} agents (2 sessions each) in ${((performance.now() - t) / 1_000).toFixed(1)} s\n`);
    console.log(
      `${AGENTS.toLocaleString('en')} agents, ${DISPATCHES.toLocaleString('en')} dispatches per row, ${LANES} concurrent per process, ${OPTIONS.shards} shards; no follower, timers running\n`,
    );
    if (NICE !== 0 && prioritise(pid, NICE) !== NICE) throw new Error(`redis-server's nice value could not be set to ${NICE} (below 0 needs root)`);
    console.log(`redis-server nice ${getPriority(pid)}\n`);
    console.log(
      '| processes | dispatches/s (aggregate) | p50 ms | p99 ms | findAvailable p99 ms (n) | Node CPU per dispatch | redis-server CPU | load average after |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const workers of ROWS) {
      let cpu = 0;
      const results = await runProcesses(server.url, workers, false, () => {
        cpu = redisCpu(pid);
        t = performance.now();
      });
      const wall = (performance.now() - t) / 1_000;
      const redisShare = (redisCpu(pid) - cpu) / wall;
      const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const finds = results.flatMap((r) => r.finds).sort((a, b) => a - b);
      const seconds = (Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1_000;
      console.log(
        `| ${workers} | ${Math.round(all.length / seconds).toLocaleString('en')} | ${percentile(all, 50).toFixed(2)} | ${percentile(all, 99).toFixed(2)} | ${percentile(finds, 99).toFixed(2)} (${finds.length}) | ${(results.reduce((sum, r) => sum + r.cpu, 0) / all.length).toFixed(0)} µs | ${(redisShare * 100).toFixed(0)} % of a core | ${load()} |`,
      );
    }
    // findAvailable alone: one process that only routes (follows nothing, dispatches nothing), queries one after another.
    {
      const router = createPresenceService({ machine, ...createRedisPresence(client, OPTIONS).ports, onError: () => {} });
      const times: number[] = [];
      for (let i = 0; i < 3_000; i++) {
        const query: RosterQuery = { units: 20, bases: ['Available', 'Busy'], limit: 5, order: i % 2 === 0 ? 'mostFree' : 'longestIdle' };
        const t0 = performance.now();
        await router.findAvailable(query);
        if (i >= 200) times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      // redis-server's own time per script call, over the whole run: saves (evalsha) and roster reads (evalsha_ro).
      const stats = await client.sendCommand<string>(['INFO', 'commandstats']);
      const perCall = (command: string) =>
        /usec_per_call=([\d.]+)/.exec(stats.split('\n').find((line) => line.startsWith(`cmdstat_${command}:`)) ?? '')?.[1] ?? '?';
      console.log(
        `\nredis-server time per call: evalsha (saves) ${perCall('evalsha')} µs, evalsha_ro (roster reads, one per shard) ${perCall('evalsha_ro')} µs`,
      );
      console.log(
        `\nfindAvailable alone (a routing process, ${times.length} queries one after another, 5 agents, most free / longest idle): p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`,
      );
      await router.close();
    }
    const used = await info('memory', 'used_memory');
    const sample = async (key: string) => Number(await client.sendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', '0']));
    const shardKeys = async (suffix: string) => {
      let sum = 0;
      for (let shard = 0; shard < OPTIONS.shards; shard++) sum += await sample(`${OPTIONS.keyPrefix}{${shard}}:${suffix}`);
      return sum;
    };
    const records = await Promise.all(Array.from({ length: 200 }, (_, k) => sample(`${OPTIONS.keyPrefix}{0}:agent:${agentId(k)}`).catch(() => 0)));
    const known = records.filter((r) => r > 0);
    const streams = await shardKeys('changes');
    const perAgent = (bytes: number) => (bytes / AGENTS).toFixed(0);
    console.log(
      `\nRedis memory at ${AGENTS.toLocaleString('en')} agents: used_memory ${(used / 2 ** 20).toFixed(0)} MiB, ${perAgent(used - empty)} B per agent`,
    );
    console.log(`- agent record hash (MEMORY USAGE, mean of ${known.length}): ${(known.reduce((a, b) => a + b, 0) / Math.max(1, known.length)).toFixed(0)} B`);
    let rosterBytes = 0;
    let cursor = '0';
    do {
      const [nextCursor, keys] = await client.sendCommand<[string, string[]]>(['SCAN', cursor, 'MATCH', `${OPTIONS.keyPrefix}*:roster*`, 'COUNT', '1000']);
      cursor = nextCursor;
      for (const key of keys) rosterBytes += await sample(key);
    } while (cursor !== '0');
    console.log(`- roster (its hash, buckets and sorted sets, all shards): ${perAgent(rosterBytes)} B per agent`);
    console.log(
      `- agent sets, deadlines, timers: ${perAgent((await shardKeys('agents')) + (await shardKeys('deadlines')) + (await shardKeys('timers')))} B per agent`,
    );
    console.log(`- change streams (maxLen ~${OPTIONS.maxLen} per shard, ${OPTIONS.shards} shards): ${(streams / 2 ** 20).toFixed(0)} MiB in all`);
  } finally {
    await client.close();
    await server.stop();
  }
}
