/**
 * Benchmark: `service.route` — routes per second and declines per assignment — in memory, and on Redis with 1 and
 * 4 processes (child_process.fork) against a local redis-server the benchmark starts itself. Run with
 * `npm run bench -- route`; it measures, it asserts nothing. Record the results in docs/performance.md with the
 * machine and its load.
 *
 * The workload: 100 agents (capacity 100), items of 50 units (two per agent: 200 slots), 2,000 items per row
 * split between the routers; the routers release their oldest items as they go so that the agents stay 50 % or
 * 90 % full (the row says): at 90 % the free slots are few (about 20) and routers working at once compete for
 * them. Every row routes with the defaults (`mostFree`, spread 4, on Redis reservations of 500 ms) unless it says
 * otherwise (`spread 1`: always the best; `lanes`: each process its lane, `lane: { index, of }`; `reserveMs 0`: no
 * reservation, as before reservations were added). A decline is an agent that could not take the
 * item when its assignment was applied (the precondition, inside compare-and-set); `route` then goes on to the
 * next candidate.
 *
 * `BENCH_ITEMS` changes the items per row; `BENCH_REDIS_ONLY=1` runs the Redis rows alone; `BENCH_ROWS` (a regular
 * expression) only the rows whose label it matches; `BENCH_REPEAT` runs the Redis rows that many times, in turn. CPU per
 * route: the router processes' (`process.cpuUsage`) and redis-server's (`/proc/<pid>/stat`) over the row.
 */
import { performance } from 'node:perf_hooks';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService, type PresenceService, type RosterOrder } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { forkWorkers, loadAverage, machineLine, percentile, redisCpu, type WorkerMessage } from './redis/benchWorkers';
import { connectClient, startRedisServer } from '../helpers/redisServer';

const AGENTS = 100;
const ITEMS = Number(process.env.BENCH_ITEMS ?? 2_000);
/** Items held by all the routers together before each releases its oldest: about 90 % of the 200 slots. */
const HELD = 180;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const agentId = (i: number) => `agent-${String(i).padStart(3, '0')}`;

interface Result {
  readonly assigned: number;
  readonly declined: number;
  readonly none: number;
  readonly latencies: number[];
  readonly start: number;
  readonly end: number;
  /** The router process's CPU time over the row, µs (user + system, `process.cpuUsage`). */
  readonly cpu: number;
}
type Message = WorkerMessage<Result>;

/** `routers` routers at once on one service, `items` items in all; each keeps `keep` items and releases the rest. */
async function routeOn(
  service: PresenceService,
  routers: number,
  items: number,
  keep: number,
  tag: string,
  order: RosterOrder,
  spread?: number,
  lane?: { index: number; of: number },
  reserveMs?: number,
): Promise<Result> {
  let assigned = 0;
  let declined = 0;
  let none = 0;
  const latencies: number[] = [];
  const start = performance.timeOrigin + performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: routers }, async (_, r) => {
      const held: [string, string][] = [];
      for (let i = r; i < items; i += routers) {
        const workItemId = `${tag}-${i}`;
        const t = performance.now();
        const result = await service.route(
          { workItemId, units: 50 },
          { order, ...(spread !== undefined ? { spread } : {}), ...(lane !== undefined ? { lane } : {}), ...(reserveMs !== undefined ? { reserveMs } : {}) },
        );
        latencies.push(performance.now() - t);
        declined += result.tried.filter((x) => x.outcome === 'declined').length;
        if (result.routed) {
          assigned++;
          held.push([result.agentId, workItemId]);
        } else {
          none++;
        }
        while (held.length > keep) {
          const [agent, done] = held.shift()!;
          await service.dispatch(agent, { type: 'workReleased', workItemId: done });
        }
      }
    }),
  );
  const end = performance.timeOrigin + performance.now();
  const { user, system } = process.cpuUsage(cpuBefore);
  return { assigned, declined, none, latencies, start, end, cpu: user + system };
}

/** `redisCpu`: redis-server's CPU time over the row, s (Redis rows). */
const line = (label: string, results: readonly Result[], redisCpuSeconds?: number) => {
  const assigned = results.reduce((s, r) => s + r.assigned, 0);
  const declined = results.reduce((s, r) => s + r.declined, 0);
  const none = results.reduce((s, r) => s + r.none, 0);
  const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = (Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1_000;
  console.log(
    `| ${label} | ${Math.round(all.length / seconds).toLocaleString('en')} | ${assigned} | ${declined} | ${(declined / Math.max(1, assigned)).toFixed(3)} | ${none} | ${percentile(all, 50).toFixed(2)} | ${percentile(all, 99).toFixed(2)} | ${(results.reduce((sum, r) => sum + r.cpu, 0) / all.length).toFixed(0)} µs | ${redisCpuSeconds === undefined ? '' : `${((redisCpuSeconds * 1e6) / all.length).toFixed(0)} µs`} | ${loadAverage().split(' ')[0]} |`,
  );
};

const signInAll = async (service: PresenceService) => {
  for (let i = 0; i < AGENTS; i++) await service.dispatch(agentId(i), { type: 'signIn' });
};

if (process.env.BENCH_WORKER !== undefined) {
  const client = await connectClient(process.env.REDIS_URL as string, () => {});
  const redis = createRedisPresence(client, { keyPrefix: process.env.BENCH_PREFIX as string, shards: 4 });
  const service = createPresenceService({ machine, ...redis.ports, maxAttempts: 100, onError: () => {} });
  for (let i = 0; i < AGENTS; i++) await service.get(agentId(i)); // records read once, as a server that has been up
  process.send?.({ t: 'ready' } satisfies Message);
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const worker = Number(process.env.BENCH_WORKER);
  const routers = Number(process.env.BENCH_ROUTERS);
  const keep = Math.floor(Number(process.env.BENCH_HELD) / (routers * Number(process.env.BENCH_WORKERS)));
  const spread = process.env.BENCH_SPREAD === undefined ? undefined : Number(process.env.BENCH_SPREAD);
  const lane = process.env.BENCH_LANES === '1' ? { index: worker, of: Number(process.env.BENCH_WORKERS) } : undefined;
  const reserveMs = process.env.BENCH_RESERVE_MS === undefined ? undefined : Number(process.env.BENCH_RESERVE_MS);
  const result = await routeOn(service, routers, Number(process.env.BENCH_COUNT), keep, `w${worker}`, 'mostFree', spread, lane, reserveMs);
  await service.close();
  await client.close();
  process.send?.({ t: 'done', result } satisfies Message, () => process.disconnect());
} else {
  const load = loadAverage;
  console.log(machineLine());
  console.log(`${AGENTS} agents (2 items of 50 units each), ${ITEMS.toLocaleString('en')} items per row\n`);
  // BENCH_ROWS: a regular expression: only the rows whose label it matches; BENCH_REPEAT: the Redis rows that many
  // times, in turn.
  const wanted = new RegExp(process.env.BENCH_ROWS ?? '');
  console.log(
    '| row | routes/s | assigned | declined | declines per assignment | not routed | p50 ms | p99 ms | Node CPU per route | redis-server CPU per route | load (1 min) after |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [routers, order, spread] of [
    [1, 'mostFree', undefined],
    [4, 'mostFree', undefined],
    [4, 'mostFree', 1],
    [4, 'longestIdle', undefined],
    [4, 'leastRecentlyOffered', undefined],
    [4, 'roundRobin', undefined],
  ] as const) {
    if (process.env.BENCH_REDIS_ONLY === '1') break;
    const service = createPresenceService({ machine, onError: () => {} });
    await signInAll(service);
    const label = `in memory, 90 % full, ${routers} router${routers > 1 ? 's' : ''}, ${order}${spread !== undefined ? `, spread ${spread}` : ''}`;
    if (!wanted.test(label)) continue;
    line(label, [await routeOn(service, routers, ITEMS, Math.floor(HELD / routers), 'm', order, spread)]);
    await service.close();
  }
  const server = await startRedisServer({ own: true });
  try {
    type Options = '' | 'spread 1' | 'lanes' | 'reserveMs 0' | 'reserveMs 0, spread 1' | 'reserveMs 0, lanes';
    const rows: [processes: number, routers: number, held: number, options: Options][] = [];
    for (const held of [100, HELD]) {
      rows.push([1, 1, held, ''], [1, 4, held, ''], [1, 4, held, 'reserveMs 0']);
      for (const options of ['', 'reserveMs 0', 'spread 1', 'reserveMs 0, spread 1', 'lanes', 'reserveMs 0, lanes'] as const) rows.push([4, 1, held, options]);
    }
    const info = await connectClient(server.url, () => {});
    const pid = Number(/process_id:(\d+)/.exec(await info.sendCommand<string>(['INFO', 'server']))?.[1]);
    await info.close();
    const repeat = Number(process.env.BENCH_REPEAT ?? 1);
    const runs = Array.from({ length: repeat }, () => [...rows.entries()]).flat();
    for (const [run, [index, [processes, routers, held, options]]] of runs.entries()) {
      const who = `${processes} process${processes > 1 ? 'es' : ''} × ${routers} router${routers > 1 ? 's' : ''}`;
      const label = `Redis, ${held / 2} % full, ${who}, mostFree${options === '' ? '' : `, ${options}`}`;
      if (!wanted.test(label)) continue;
      const prefix = `bench-route${index}-${run}:`;
      const client = await connectClient(server.url, () => {});
      const seeder = createPresenceService({ machine, ...createRedisPresence(client, { keyPrefix: prefix, shards: 4 }).ports, onError: () => {} });
      await signInAll(seeder);
      await seeder.close();
      await client.close();
      let cpu = 0;
      const results = await forkWorkers<Result>(import.meta.url, {
        url: server.url,
        workers: processes,
        seed: false,
        env: () => ({
          BENCH_PREFIX: prefix,
          BENCH_ROUTERS: String(routers),
          BENCH_HELD: String(held),
          BENCH_COUNT: String(Math.ceil(ITEMS / processes)),
          ...(options.includes('spread 1') ? { BENCH_SPREAD: '1' } : {}),
          ...(options.includes('lanes') ? { BENCH_LANES: '1' } : {}),
          ...(options.includes('reserveMs 0') ? { BENCH_RESERVE_MS: '0' } : {}),
        }),
        onStart: () => (cpu = redisCpu(pid)),
      });
      line(label, results, redisCpu(pid) - cpu);
    }
  } finally {
    await server.stop();
  }
  console.log(`\nload average after: ${load()}`);
}
