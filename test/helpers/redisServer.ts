/**
 * A `redis-server` of the test's own: on 127.0.0.1, a free port, a temporary directory, no persistence unless asked
 * (the restart test asks for an append-only file fsynced on every write), stopped and removed afterwards.
 *
 * The tests need the real server. `npm test` installs it first where it can (scripts/test-prerequisites.ts); when
 * it is missing they fail, saying how to get it. They never skip. Set REDIS_SERVER to use a binary that is not on
 * the PATH.
 *
 * REDIS_URL points them at a Redis of your own instead (one in Docker, say: `docker run --rm -p 6379:6379 redis:7`,
 * then `REDIS_URL=redis://127.0.0.1:6379 npm test`). Each test file then takes database N of that server, N being
 * its vitest worker's number (1 and up; database 0 is left alone), which must be empty: it is flushed after the
 * file. A database that holds keys is refused, so a Redis holding data of yours is never flushed. The
 * crash-and-restart test kills and restarts its server, so it always starts a redis-server of its own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (after `kill` or `stop`). */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

function requireRedisServer(): void {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `The Redis tests need redis-server (tried ${JSON.stringify(REDIS_SERVER)}: ${probe.error?.message ?? probe.stderr}). ` +
        '`npm test` installs it where it can; else install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: ' +
        'brew install redis) or set REDIS_SERVER to its path. `npm run test:offline` runs the suites that need no redis-server.',
    );
  }
}

/** A TCP port free on 127.0.0.1 now (the caller binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Spawns a redis-server on 127.0.0.1 and resolves once it accepts connections (rejects with its output if it exits
 * first). `extra` adds arguments (cluster mode, say); `what` names it in that error.
 */
export function launchRedisServer(port: number, dir: string, persistent: boolean, extra: readonly string[] = [], what = 'redis-server'): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    persistent ? 'yes' : 'no',
    ...(persistent ? ['--appendfsync', 'always'] : []),
    '--daemonize',
    'no',
    '--databases',
    '1',
    '--logfile',
    '',
    ...extra,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
}

/** Resolves once the child has exited (at once if it has). */
export const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** The Redis of your own that REDIS_URL names, if any. */
export const REDIS_URL: string | undefined = process.env.REDIS_URL || undefined;

/** Database N of the REDIS_URL server (N: this vitest worker's number), checked empty; flushed by `stop`. */
async function ownServer(url: string): Promise<RedisServer> {
  const database = Number(process.env.VITEST_POOL_ID ?? '1');
  const target = new URL(url);
  target.pathname = `/${database}`;
  const where = `database ${database} of REDIS_URL=${url}`;
  const once = async <T>(command: string[]): Promise<T> => {
    const client = createClient({ url: target.toString(), socket: { reconnectStrategy: false, connectTimeout: 5_000 } });
    client.on('error', () => {});
    try {
      await client.connect();
      return await client.sendCommand<T>(command);
    } finally {
      if (client.isOpen) await client.close();
    }
  };
  let keys: number;
  try {
    keys = await once<number>(['DBSIZE']);
  } catch (error) {
    throw new Error(`The Redis tests cannot use ${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (keys > 0) {
    throw new Error(
      `The Redis tests use and flush ${where}, but it holds ${keys} keys. Point REDIS_URL at a Redis for tests, or flush ` +
        `that database if the keys are the tests' own (redis-cli -u ${JSON.stringify(url)} -n ${database} FLUSHDB).`,
    );
  }
  const refuse = (what: string) => () => Promise.reject(new Error(`${where} is yours: the tests do not ${what} it`));
  return {
    url: target.toString(),
    port: Number(target.port || 6379),
    dir: '',
    kill: refuse('kill'),
    restart: refuse('restart'),
    async stop() {
      await once(['FLUSHDB']);
    },
  };
}

/**
 * Starts a server, or takes a database of the REDIS_URL server; `persistent` keeps an append-only file fsynced at
 * every write, so a restart keeps every acknowledged write (always a redis-server of the test's own: it is killed).
 * `own` starts a redis-server of the test's own even when REDIS_URL is set (a test that kills it, restarts it
 * without its data or makes it a replica).
 */
export async function startRedisServer(options: { readonly persistent?: boolean; readonly own?: boolean } = {}): Promise<RedisServer> {
  if (REDIS_URL !== undefined && options.persistent !== true && options.own !== true) return ownServer(REDIS_URL);
  requireRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'agent-presence-redis-'));
  const persistent = options.persistent ?? false;
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launchRedisServer(port, dir, persistent);
    } catch (error) {
      if (attempt >= 5) throw error; // the port was taken in between: try another
    }
  }
  let current: ChildProcess = child;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async kill() {
      current.kill('SIGKILL');
      await exited(current);
    },
    async restart() {
      current = await launchRedisServer(port, dir, persistent);
    },
    async stop() {
      current.kill('SIGTERM');
      await exited(current);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A node-redis client that fails fast while disconnected and reconnects quickly; errors go to `onError` (default: ignored); `commandOptions` as node-redis takes them (its per-command `timeout`). */
export async function connectClient(url: string, onError: (error: unknown) => void = () => {}, commandOptions?: { readonly timeout?: number }) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    ...(commandOptions === undefined ? {} : { commandOptions }),
    socket: { reconnectStrategy: (retries: number) => Math.min(20 * retries, 200), connectTimeout: 2_000 },
  });
  client.on('error', onError);
  await client.connect();
  return client;
}

/** A connected node-redis client, as `connectClient` makes it. */
export type RedisTestClient = Awaited<ReturnType<typeof connectClient>>;

/**
 * Gives a test file its own redis-server and client: started before the file's tests, stopped after them. Read
 * `redis.client` and `redis.server` inside tests (they exist once the file's tests run). `own`: a server of the
 * file's own even when `REDIS_URL` names one (for tests that pause or stop it).
 */
export function useRedisServer(options: { readonly own?: boolean } = {}): { readonly server: RedisServer; readonly client: RedisTestClient } {
  let server: RedisServer | undefined;
  let client: RedisTestClient | undefined;
  beforeAll(async () => {
    server = await startRedisServer(options);
    client = await connectClient(server.url);
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (server === undefined) throw new Error('useRedisServer: the server starts before the tests, not at load');
      return server;
    },
    get client() {
      if (client === undefined) throw new Error('useRedisServer: the client connects before the tests, not at load');
      return client;
    },
  };
}
