/**
 * Benchmark: `dispatch` through the presence service on the Redis adapters, against a local redis-server the
 * benchmark starts itself (127.0.0.1, no persistence): throughput and p50/p99 latency with 1 process and with 4
 * processes (child_process.fork) sharing the agents. Each process follows the change stream and runs the Redis
 * timers, as a deployment does. Run with `npm run bench:redis`; it measures, it asserts nothing. Record the
 * results in docs/performance.md with the machine.
 */
import { fork } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { connectClient, REDIS_SERVER, startRedisServer } from '../helpers/redisServer';
import { spawnSync } from 'node:child_process';

const AGENTS = 1_000;
const DISPATCHES = 20_000;
const LANES = 16;
const OPTIONS = { keyPrefix: 'bench:', shards: 4 };
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, maxWorkItems: 4 } });

interface Result {
  readonly latencies: number[];
  readonly start: number;
  readonly end: number;
}

/** One process's share: `count` dispatches over `LANES` concurrent loops, each timed. */
async function run(url: string, worker: number, count: number): Promise<Result> {
  const client = await connectClient(url);
  const redis = createRedisPresence(client, OPTIONS);
  const service = createPresenceService({ machine, ...redis.ports, maxAttempts: 100 });
  redis.start(service, { follow: { pollMs: 20 }, timers: { pollMs: 200 } });
  const latencies: number[] = [];
  let n = 0;
  const start = performance.timeOrigin + performance.now();
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (n < count) {
        const i = n++;
        const agentId = `agent-${(i * 7919 + worker * 104_729) % AGENTS}`;
        const eventId = `w${worker}-${i}`;
        const at = Date.now();
        const kind = i % 4;
        const event: PresenceEvent =
          kind === 0
            ? { type: 'signIn', at, eventId }
            : kind === 1
              ? { type: 'workAssigned', workItemId: `w${worker}-c${i}`, units: 20, at, eventId }
              : kind === 2
                ? { type: 'setPresence', presenceId: i % 8 === 2 ? 'away' : 'available', at, eventId }
                : { type: 'workReleased', workItemId: `w${worker}-c${i - 2}`, at, eventId };
        const t0 = performance.now();
        await service.dispatch(agentId, event);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const end = performance.timeOrigin + performance.now();
  await redis.stop();
  await service.close();
  await client.close();
  return { latencies, start, end };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** CPU seconds redis-server has used so far (INFO cpu). */
async function redisCpu(url: string): Promise<number> {
  const client = await connectClient(url);
  const info = await client.sendCommand<string>(['INFO', 'cpu']);
  await client.close();
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return field('used_cpu_sys') + field('used_cpu_user');
}

function report(label: string, results: readonly Result[], redisSeconds: number) {
  const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = (Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1_000;
  console.log(
    `| ${label} | ${all.length.toLocaleString('en')} | ${Math.round(all.length / seconds).toLocaleString('en')} | ${percentile(all, 50).toFixed(2)} | ${percentile(all, 99).toFixed(2)} | ${((redisSeconds / seconds) * 100).toFixed(0)} % |`,
  );
}

if (process.env.BENCH_WORKER !== undefined) {
  const result = await run(process.env.REDIS_URL as string, Number(process.env.BENCH_WORKER), Number(process.env.BENCH_COUNT));
  process.send?.(result, () => process.disconnect());
} else {
  const server = await startRedisServer();
  const version = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .split(' ')
    .find((part) => part.startsWith('v='));
  console.log(
    `machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; redis-server ${version}`,
  );
  console.log(`${AGENTS} agents, ${LANES} concurrent dispatches per process, ${OPTIONS.shards} shards; each process follows the stream and runs the timers\n`);
  console.log('| processes | dispatches | per second | p50 ms | p99 ms | redis-server CPU |');
  console.log('|---|---|---|---|---|---|');
  try {
    // Warm-up (script cache, JIT), then 1 process.
    await run(server.url, 9, 2_000);
    let cpu = await redisCpu(server.url);
    report('1', [await run(server.url, 0, DISPATCHES)], (await redisCpu(server.url)) - cpu);
    cpu = await redisCpu(server.url);
    const workers = Array.from(
      { length: 4 },
      (_, w) =>
        new Promise<Result>((resolve, reject) => {
          const child = fork(fileURLToPath(import.meta.url), [], {
            // Run as a bundle by npm run bench (plain JavaScript), or as TypeScript through tsx.
            execArgv: import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [],
            env: { ...process.env, BENCH_WORKER: String(w + 1), BENCH_COUNT: String(DISPATCHES / 4), REDIS_URL: server.url },
          });
          child.once('message', (result: Result) => resolve(result));
          child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`worker ${w} exited with ${code}`))));
        }),
    );
    const results = await Promise.all(workers);
    report('4', results, (await redisCpu(server.url)) - cpu);
  } finally {
    await server.stop();
  }
}
