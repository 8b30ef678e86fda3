/**
 * What the Redis benches share (a helper, not a bench: scripts/bench.ts runs only the files of test/bench itself):
 * forking worker processes that start together, percentiles, and redis-server's CPU time.
 */
import { fork, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, getPriority, loadavg, setPriority, totalmem } from 'node:os';
import { REDIS_SERVER } from '../../helpers/redisServer';

/** What a worker tells the bench: ready to start, then its result. */
export type WorkerMessage<Result> = { t: 'ready' } | { t: 'done'; result: Result };

/** The load average (1, 5 and 15 min), as the bench tables print it. */
export const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The machine line each Redis bench starts with: CPU, cores, memory, Node, redis-server, load average. */
export function machineLine(): string {
  const version = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .split(' ')
    .find((part) => part.startsWith('v='));
  return `machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; redis-server ${version}; load average ${loadAverage()}`;
}

/**
 * Sets redis-server's scheduling priority (its nice value: `os.setPriority`, as `renice` does; below 0 needs root)
 * for the rows that follow, and says what it is now: on a machine where the bench's processes and redis-server share
 * few cores, Redis waiting for a core behind them is what made the aggregate fall as processes were added
 * (docs/performance.md, "Eighth pass"). Returns undefined when it could not be set.
 */
export function prioritise(pid: number, nice: number): number | undefined {
  try {
    setPriority(pid, nice);
    return getPriority(pid);
  } catch {
    return undefined;
  }
}

/** The p-th percentile of sorted values (NaN when there are none). */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** redis-server's CPU time so far, seconds (utime + stime of /proc/<pid>/stat). */
export function redisCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

/**
 * Forks `workers` copies of the bench module `moduleUrl` (`import.meta.url`), each with `BENCH_WORKER`,
 * `BENCH_WORKERS`, `BENCH_SEED` and `REDIS_URL` set, plus `env(worker)`, and with the Node options `nodeArgs` (then
 * `BENCH_NODE_ARGS`'s). Seeding workers run at once; others are started together, once every one is ready, after
 * `onStart`. Resolves with their results.
 */
export async function forkWorkers<Result>(
  moduleUrl: string,
  options: {
    readonly url: string;
    readonly workers: number;
    readonly seed: boolean;
    readonly env?: (worker: number) => Record<string, string>;
    readonly nodeArgs?: readonly string[];
    readonly onStart?: () => void;
  },
): Promise<Result[]> {
  const { url, workers, seed } = options;
  const children = Array.from({ length: workers }, (_, w) =>
    fork(new URL(moduleUrl), [], {
      // Run as a bundle by npm run bench (plain JavaScript), or as TypeScript through tsx.
      // BENCH_NODE_ARGS adds Node options to every worker (for example `--cpu-prof --cpu-prof-dir=/tmp/prof`).
      execArgv: [
        ...(moduleUrl.endsWith('.ts') ? ['--import', 'tsx'] : []),
        ...(options.nodeArgs ?? []),
        ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      env: {
        ...process.env,
        BENCH_WORKER: String(w),
        BENCH_WORKERS: String(workers),
        BENCH_SEED: seed ? '1' : '',
        REDIS_URL: url,
        ...options.env?.(w),
      },
    }),
  );
  type Message = WorkerMessage<Result>;
  const ready = children.map((child) => new Promise<void>((resolve) => child.on('message', (m: Message) => m.t === 'ready' && resolve())));
  const done = children.map(
    (child, w) =>
      new Promise<Result>((resolve, reject) => {
        child.on('message', (m: Message) => m.t === 'done' && resolve(m.result));
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`worker ${w} exited with ${code}`))));
      }),
  );
  if (!seed) {
    await Promise.all(ready);
    options.onStart?.();
    for (const child of children) child.send('go');
  }
  return Promise.all(done);
}
