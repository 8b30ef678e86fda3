/**
 * Benchmark: the heartbeat load of issue 19, held at its own pace rather than flat out. 100,000 agents, each signed
 * in with two sessions (`desk`, `phone`), each session heartbeating every 30 s: about 6,700 heartbeats a second,
 * sent open-loop (every millisecond, the heartbeats due by then, whatever is still in flight) from 1 and from 2 processes
 * (`child_process.fork`, each its own share of the agents, following nothing, as a web tier would). Latency is one
 * `dispatch` as the caller sees it, from when it was sent; how far behind its schedule the process sent it (busy, or
 * waiting for its next 10 ms tick) is reported apart, so a process that cannot keep the pace shows. It
 * starts its own `redis-server` (127.0.0.1, no persistence). Run with `npm run bench:redis`; it measures, it
 * asserts nothing. Record the results in docs/performance.md with the machine.
 *
 * - `BENCH_AGENTS` and `BENCH_SECONDS` shrink it; `BENCH_PROCESSES` picks the rows (`1,2`); `BENCH_CACHE` sets the
 *   store's `recordCacheSize` (default 150,000: every agent's record kept); `BENCH_COMMAND_TIMEOUT` sets
 *   node-redis's per-command timeout for the workers' clients (ms, 0: none; unset: its default, 5 s); `BENCH_POOLS` picks
 *   the V8 worker pool sizes to run each row with (`default,1`: Node's own, then `--v8-pool-size=1`). V8's garbage
 *   collector marks the old generation on that pool's threads (four by default): on two cores they compete with
 *   redis-server and the process itself for the cores, which is what made the tail here (docs/performance.md, "Eighth
 *   pass").
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { forkWorkers, percentile, redisCpu, type WorkerMessage } from './redis/benchWorkers';
import { connectClient, startRedisServer } from '../helpers/redisServer';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 100_000);
const SESSIONS = ['desk', 'phone'] as const;
const EVERY_MS = 30_000; // each session's heartbeat interval
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const TICK_MS = Number(process.env.BENCH_TICK_MS ?? 1); // how often the due heartbeats are sent: bursts every 10 ms queue behind each other
const OPTIONS = { keyPrefix: 'hb:', shards: 4, maxLen: 20_000, recordCacheSize: Number(process.env.BENCH_CACHE ?? 150_000) };
const PROCESSES = (process.env.BENCH_PROCESSES ?? '1,2').split(',').map(Number);
const POOLS = (process.env.BENCH_POOLS ?? 'default,1').split(',');
const poolArgs = (pool: string) => (pool === 'default' ? [] : [`--v8-pool-size=${Number(pool)}`]);
const COMMAND_TIMEOUT = process.env.BENCH_COMMAND_TIMEOUT === undefined ? undefined : Number(process.env.BENCH_COMMAND_TIMEOUT);
// Sessions expire after two missed heartbeats: the deadlines move with every heartbeat, as in production.
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 2 * EVERY_MS + 5_000 } });
const agentId = (n: number) => `agent-${n}`;

interface Result {
  readonly latencies: number[];
  /** How long after it was due each heartbeat was sent, ms. */
  readonly lags: number[];
  readonly sent: number;
  /** Heartbeats that failed (a command timed out: the process or Redis could not keep the pace). */
  readonly failed: number;
  readonly cpuMs: number;
}
type Message = WorkerMessage<Result>;

/** One process: its agents read (or signed in, when seeding), then heartbeats at the pace of the whole load's share. */
async function work(url: string, worker: number, workers: number, seed: boolean): Promise<void> {
  const client = await connectClient(url, () => {}, COMMAND_TIMEOUT === undefined ? undefined : { timeout: COMMAND_TIMEOUT });
  const redis = createRedisPresence(client, OPTIONS);
  const service = createPresenceService({ machine, ...redis.ports, maxAttempts: 100, onError: () => {} });
  const mine = Array.from({ length: Math.ceil((AGENTS - worker) / workers) }, (_, k) => worker + k * workers);
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < mine.length) {
        const id = agentId(mine[next++]!);
        if (seed) for (const sessionId of SESSIONS) await service.dispatch(id, { type: 'signIn', sessionId });
        else await service.get(id);
      }
    }),
  );
  if (!seed) {
    process.send?.({ t: 'ready' } satisfies Message);
    await new Promise<void>((resolve) => process.once('message', () => resolve()));
  }
  const latencies: number[] = [];
  const lags: number[] = [];
  let sent = 0;
  let failed = 0;
  const cpu = process.cpuUsage();
  if (!seed) {
    // Each of this process's sessions once per EVERY_MS, spread evenly: `perTick` heartbeats every TICK_MS.
    const sessions = mine.length * SESSIONS.length;
    const perMs = sessions / EVERY_MS;
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let due = 0; ;) {
      const now = performance.now() - start;
      if (now >= SECONDS * 1_000) break;
      const target = Math.floor(now * perMs);
      for (; due < target; due++) {
        const slot = due % sessions;
        const id = agentId(mine[Math.floor(slot / SESSIONS.length)]!);
        const sentAt = performance.now();
        lags.push(sentAt - (start + due / perMs));
        sent++;
        const p = service.dispatch(id, { type: 'heartbeat', sessionId: SESSIONS[slot % SESSIONS.length]! }).then(
          () => void latencies.push(performance.now() - sentAt),
          () => void failed++,
        );
        inFlight.push(p);
      }
      if (inFlight.length > 10_000) await Promise.all(inFlight.splice(0));
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    await Promise.all(inFlight);
  }
  const used = process.cpuUsage(cpu);
  await service.close();
  await client.close();
  const result: Result = { latencies, lags, sent, failed, cpuMs: (used.user + used.system) / 1_000 };
  process.send?.({ t: 'done', result } satisfies Message, () => process.disconnect());
}

/** Forks the workers of one row (or of the seeding). */
const runProcesses = (url: string, workers: number, seed: boolean, nodeArgs: string[] = [], onStart?: () => void): Promise<Result[]> =>
  forkWorkers<Result>(import.meta.url, { url, workers, seed, nodeArgs, ...(onStart !== undefined ? { onStart } : {}) });

if (process.env.BENCH_WORKER !== undefined) {
  await work(process.env.REDIS_URL as string, Number(process.env.BENCH_WORKER), Number(process.env.BENCH_WORKERS), process.env.BENCH_SEED === '1');
} else {
  const server = await startRedisServer({ own: true });
  const client = await connectClient(server.url);
  const pid = Number(/process_id:(\d+)/.exec(await client.sendCommand<string>(['INFO', 'server']))?.[1]);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; load average ${load()}`,
  );
  try {
    let t = performance.now();
    await runProcesses(server.url, 2, true);
    console.log(`seeded ${AGENTS.toLocaleString('en')} agents (2 sessions each) in ${((performance.now() - t) / 1_000).toFixed(1)} s`);
    const rate = (AGENTS * SESSIONS.length * 1_000) / EVERY_MS;
    console.log(
      `\nheartbeats every ${EVERY_MS / 1_000} s per session: ${Math.round(rate).toLocaleString('en')}/s offered, for ${SECONDS} s per row; recordCacheSize ${OPTIONS.recordCacheSize}; node-redis command timeout ${COMMAND_TIMEOUT ?? 'default (5 s)'}\n`,
    );
    console.log(
      '| processes | V8 pool threads | heartbeats/s done (failed) | p50 ms | p99 ms | max ms | sent behind schedule, p99 ms | Node CPU per heartbeat | redis-server CPU | load average after |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const workers of PROCESSES)
      for (const pool of POOLS) {
        let cpu = 0;
        const results = await runProcesses(server.url, workers, false, poolArgs(pool), () => {
          cpu = redisCpu(pid);
          t = performance.now();
        });
        const wall = (performance.now() - t) / 1_000;
        const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
        const lags = results.flatMap((r) => r.lags).sort((a, b) => a - b);
        const nodeCpu = results.reduce((sum, r) => sum + r.cpuMs, 0) / Math.max(1, all.length);
        console.log(
          `| ${workers} | ${pool === 'default' ? 'default (4)' : pool} | ${Math.round(all.length / wall).toLocaleString('en')} (${results.reduce((sum, r) => sum + r.failed, 0)}) | ${percentile(all, 50).toFixed(2)} | ${percentile(all, 99).toFixed(2)} | ${(all.at(-1) ?? NaN).toFixed(2)} | ${percentile(lags, 99).toFixed(1)} | ${(nodeCpu * 1_000).toFixed(0)} µs | ${(((redisCpu(pid) - cpu) / wall) * 100).toFixed(0)} % of a core | ${load()} |`,
        );
      }
  } finally {
    await client.close();
    await server.stop();
  }
}
