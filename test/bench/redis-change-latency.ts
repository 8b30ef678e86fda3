/**
 * Benchmark: how long a change takes to reach a listener in another process, against a local redis-server the
 * benchmark starts itself. The parent dispatches one presence change every 10 ms (probe agents); a listener
 * process (`redis.listen`, as a supervisor board) tells the parent over IPC of each change its `subscribe`
 * listener hears. Latency: from just before `dispatch` to the parent receiving the IPC message (so it includes the
 * save, the follower's read, the service's ingest and the IPC hop). Measured with the follower blocking
 * (`XREAD BLOCK`, the default) and polling (`blockingClient: null`, `pollMs` 50: the former default), idle and with a
 * load process dispatching flat out meanwhile (its changes reach the listener too). Run with
 * `npm run bench -- change-latency`; it measures, it asserts nothing. Record the results in docs/performance.md
 * with the machine and the load average.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { createRedisPresence } from '../../src/redis/index';
import { connectClient, REDIS_SERVER, startRedisServer } from '../helpers/redisServer';

const OPTIONS = { keyPrefix: 'latency:', shards: 4 };
const PROBES = 50;
const SAMPLES = 1_500;
const EVERY_MS = 10;
const LOAD_AGENTS = 1_000;
const LOAD_LANES = 8;
const machine = createPresenceMachine({ defaultProfile: { capacity: 100, maxWorkItems: 4 } });
const self = fileURLToPath(import.meta.url);
const execArgv = import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** The listener process: tells the parent `agentId version` of each probe change it hears. */
async function listener(url: string, mode: string): Promise<void> {
  const client = await connectClient(url);
  const redis = createRedisPresence(client, OPTIONS);
  const service = createPresenceService({ machine, ...redis.ports });
  service.subscribe((change) => {
    if (change.agentId.startsWith('probe-')) process.send?.(`${change.agentId} ${change.version}`);
  });
  const { follower } = redis.listen(service, { follow: mode === 'poll' ? { blockingClient: null, pollMs: 50 } : {}, config: false });
  await follower.caughtUp();
  process.send?.('ready');
  const cpu0 = process.cpuUsage();
  const began = performance.now();
  process.once('message', () => {
    const used = process.cpuUsage(cpu0);
    process.send?.(`cpu ${((used.user + used.system) / 1_000 / (performance.now() - began)) * 100}`);
    void redis
      .stop()
      .then(() => client.close())
      .then(() => process.disconnect());
  });
}

/** The load process: dispatches flat out on its own agents until told to stop. */
async function load(url: string): Promise<void> {
  const client = await connectClient(url);
  const redis = createRedisPresence(client, OPTIONS);
  const service = createPresenceService({ machine, ...redis.ports, maxAttempts: 100 });
  let stopped = false;
  let n = 0;
  process.once('message', () => (stopped = true));
  process.send?.('ready');
  await Promise.all(
    Array.from({ length: LOAD_LANES }, async () => {
      while (!stopped) {
        const i = n++;
        const at = Date.now();
        const event: PresenceEvent = i % 2 === 0 ? { type: 'signIn', at } : { type: 'setPresence', presenceId: i % 4 === 1 ? 'away' : 'available', at };
        await service.dispatch(`load-${(i * 7919) % LOAD_AGENTS}`, event);
      }
    }),
  );
  process.send?.(
    `done ${n}`,
    () =>
      void service
        .close()
        .then(() => client.close())
        .then(() => process.disconnect()),
  );
}

const start = (env: Record<string, string>) => {
  const child = fork(self, [], { execArgv, env: { ...process.env, ...env } });
  const ready = new Promise<void>((resolve) => child.on('message', (m) => m === 'ready' && resolve()));
  return { child, ready };
};

async function measure(url: string, mode: 'push' | 'poll', loaded: boolean, row: number): Promise<string> {
  const listen = start({ LATENCY_ROLE: 'listener', LATENCY_MODE: mode, REDIS_URL: url });
  let loader: ChildProcess | undefined;
  let loadDone: Promise<number> | undefined;
  await listen.ready;
  if (loaded) {
    const l = start({ LATENCY_ROLE: 'load', REDIS_URL: url });
    loader = l.child;
    loadDone = new Promise((resolve) => l.child.on('message', (m) => typeof m === 'string' && m.startsWith('done') && resolve(Number(m.split(' ')[1]))));
    await l.ready;
  }
  const client = await connectClient(url);
  const redis = createRedisPresence(client, OPTIONS);
  const service = createPresenceService({ machine, ...redis.ports });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const listenerCpu = new Promise<number>((resolve) =>
    listen.child.on('message', (m) => typeof m === 'string' && m.startsWith('cpu') && resolve(Number(m.split(' ')[1]))),
  );
  listen.child.on('message', (m) => {
    const at = sentAt.get(m as string);
    if (at !== undefined) latencies.push(performance.now() - at);
  });
  for (let p = 0; p < PROBES; p++) await service.dispatch(`probe-${row}-${p}`, { type: 'signIn', at: Date.now() });
  const load0 = loadavg()[0] ?? NaN;
  const began = performance.now();
  for (let i = 0; i < SAMPLES; i++) {
    const agentId = `probe-${row}-${i % PROBES}`;
    const t0 = performance.now();
    // Each probe alternates between available and away: every dispatch is a presence change.
    const version = Math.floor(i / PROBES) + 2;
    sentAt.set(`${agentId} ${version}`, t0);
    await service.dispatch(agentId, { type: 'setPresence', presenceId: version % 2 === 0 ? 'away' : 'available', at: Date.now() });
    await sleep(Math.max(0, EVERY_MS - (performance.now() - t0)));
  }
  await sleep(300);
  const seconds = (performance.now() - began) / 1_000;
  loader?.send('stop');
  const loadDispatches = (await loadDone) ?? 0;
  listen.child.send('stop');
  const cpu = await listenerCpu;
  await service.close();
  await client.close();
  const sorted = latencies.sort((a, b) => a - b);
  return `| ${mode === 'push' ? 'XREAD BLOCK' : 'poll, 50 ms'} | ${loaded ? `${Math.round(loadDispatches / seconds).toLocaleString('en')} dispatches/s` : 'idle'} | ${sorted.length} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} | ${(sorted.at(-1) ?? NaN).toFixed(2)} | ${cpu.toFixed(0)} % | ${load0.toFixed(2)} |`;
}

if (process.env.LATENCY_ROLE === 'listener') {
  await listener(process.env.REDIS_URL as string, process.env.LATENCY_MODE as string);
} else if (process.env.LATENCY_ROLE === 'load') {
  await load(process.env.REDIS_URL as string);
} else {
  const server = await startRedisServer();
  const version = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .split(' ')
    .find((part) => part.startsWith('v='));
  console.log(
    `machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; redis-server ${version}`,
  );
  console.log(
    `${OPTIONS.shards} shards; one change every ${EVERY_MS} ms on ${PROBES} probe agents, ${SAMPLES} samples per row; load: ${LOAD_LANES} lanes on ${LOAD_AGENTS} agents\n`,
  );
  console.log('| follower | other load | changes heard | p50 ms | p99 ms | max ms | listener CPU | load average (1 min) |');
  console.log('|---|---|---|---|---|---|---|---|');
  try {
    const rows = [
      ['push', false],
      ['push', true],
      ['poll', false],
      ['poll', true],
    ] as const;
    for (const [row, [mode, loaded]] of rows.entries()) console.log(await measure(server.url, mode, loaded, row));
  } finally {
    await server.stop();
  }
}
