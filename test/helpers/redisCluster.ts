/**
 * A Redis Cluster of the test's own: three `redis-server`s in cluster mode (the one `redisServer.ts` finds), each on
 * 127.0.0.1, a free port and a temporary directory of its own (its `nodes.conf` there), joined with
 * `redis-cli --cluster create … --cluster-replicas 0`, ready once every node says `cluster_state:ok` and agrees on
 * who holds every slot. No persistence unless asked (`persistent`: an append-only file fsynced at every write, so a
 * node restarted keeps what it acknowledged). `stop` stops every node and removes the directories.
 *
 * REDIS_CLI names redis-cli when it is neither next to a REDIS_SERVER given by path nor on the PATH.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createClient, createCluster } from 'redis';
import { clusterCommandClient } from '../../src/redis/index';
import { exited, freePort, launchRedisServer, REDIS_SERVER } from './redisServer';

/** REDIS_CLI; else the redis-cli next to a REDIS_SERVER given by path; else the one on the PATH. */
export const REDIS_CLI =
  process.env.REDIS_CLI ??
  (REDIS_SERVER.includes('/') && existsSync(join(dirname(REDIS_SERVER), 'redis-cli')) ? join(dirname(REDIS_SERVER), 'redis-cli') : 'redis-cli');

export interface RedisClusterNode {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
}

export interface RedisCluster {
  readonly nodes: readonly RedisClusterNode[];
  /** The nodes' URLs, for `createCluster({ rootNodes })` (the tests' workers get them joined by commas). */
  readonly urls: readonly string[];
  /** Sends a command to one node (by index) on a connection of its own. */
  nodeCommand(index: number, args: string[]): Promise<unknown>;
  /** Kills node `index` (SIGKILL) and starts it again on its port and directory; resolves once the cluster is ok again. */
  restartNode(index: number): Promise<void>;
  /** Moves a slot and its keys from the node holding it to node `to`, telling every node; returns the node it came from. */
  migrateSlot(slot: number, to: number): Promise<number>;
  /** Resolves once every node says cluster_state:ok and they agree on who holds each slot. */
  ready(): Promise<void>;
  /** Stops every node and removes their directories. */
  stop(): Promise<void>;
}

/** One cluster node: redis-server in cluster mode, its nodes.conf in its own directory. */
const launch = (port: number, dir: string, persistent: boolean): Promise<ChildProcess> =>
  launchRedisServer(
    port,
    dir,
    persistent,
    ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'],
    `redis-server (cluster node, port ${port})`,
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `CLUSTER NODES` of a node: id, address and slots of each master. */
function masters(nodes: string): { id: string; port: number; slots: string }[] {
  return nodes
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => (fields[2] ?? '').includes('master'))
    .map((fields) => ({ id: fields[0] as string, port: Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]), slots: fields.slice(8).sort().join(' ') }));
}

/** Starts a 3-master cluster; `persistent` keeps an append-only file fsynced at every write on each node. */
export async function startRedisCluster(options: { readonly persistent?: boolean } = {}): Promise<RedisCluster> {
  const persistent = options.persistent ?? false;
  const probe = spawnSync(REDIS_CLI, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `The Redis Cluster tests need redis-cli (tried ${JSON.stringify(REDIS_CLI)}): it comes with redis-server (Debian: redis-tools); or set REDIS_CLI`,
    );
  }
  const nodes: { port: number; url: string; dir: string; child: ChildProcess }[] = [];
  const connections = new Map<number, ReturnType<typeof createClient>>();
  const stop = async () => {
    for (const client of connections.values()) if (client.isOpen) client.destroy();
    connections.clear();
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(nodes.map((node) => exited(node.child)));
    for (const node of nodes) rmSync(node.dir, { recursive: true, force: true });
  };
  try {
    while (nodes.length < 3) {
      const dir = mkdtempSync(join(tmpdir(), 'agent-presence-cluster-'));
      let child: ChildProcess | undefined;
      let port = 0;
      for (let attempt = 1; child === undefined; attempt++) {
        port = await freePort();
        try {
          child = await launch(port, dir, persistent);
        } catch (error) {
          if (attempt >= 5) {
            rmSync(dir, { recursive: true, force: true });
            throw error; // else the port was taken in between: try another
          }
        }
      }
      nodes.push({ port, url: `redis://127.0.0.1:${port}`, dir, child });
    }
    const create = spawnSync(REDIS_CLI, ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (create.status !== 0 || !/All 16384 slots covered/.test(create.stdout)) {
      throw new Error(`redis-cli --cluster create failed (${create.status ?? create.signal}):\n${create.stdout}\n${create.stderr}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  /** A connection per node, made at its first command and made again after it failed (a node restarted). */
  const drop = (index: number) => {
    const client = connections.get(index);
    connections.delete(index);
    if (client?.isOpen) client.destroy();
  };
  const nodeCommand = async (index: number, args: string[]): Promise<unknown> => {
    let client = connections.get(index);
    if (client === undefined) {
      client = createClient({ url: (nodes[index] as { url: string }).url, socket: { reconnectStrategy: false, connectTimeout: 2_000 } });
      client.on('error', () => drop(index));
      connections.set(index, client);
      try {
        await client.connect();
      } catch (error) {
        drop(index);
        throw error;
      }
    }
    try {
      return await client.sendCommand(args);
    } catch (error) {
      if (!(error instanceof Error && /^[A-Z]+ /.test(error.message))) drop(index); // not a reply error: the connection
      throw error;
    }
  };

  const ready = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        const infos = await Promise.all(nodes.map((_, i) => nodeCommand(i, ['CLUSTER', 'INFO'])));
        const views = await Promise.all(
          nodes.map(async (_, i) => JSON.stringify(masters(String(await nodeCommand(i, ['CLUSTER', 'NODES']))).sort((a, b) => a.port - b.port))),
        );
        if (infos.every((info) => /cluster_state:ok/.test(String(info))) && views.every((view) => view === views[0])) return;
      } catch {
        // a node not listening yet: look again
      }
      if (attempt > 300) throw new Error('the Redis Cluster did not reach cluster_state:ok with every node agreeing within 30 s');
      await sleep(100);
    }
  };

  try {
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    nodes: nodes.map(({ port, url, dir }) => ({ port, url, dir })),
    urls: nodes.map((n) => n.url),
    nodeCommand,
    ready,
    async restartNode(index) {
      const node = nodes[index] as (typeof nodes)[number];
      node.child.kill('SIGKILL');
      await exited(node.child);
      drop(index);
      node.child = await launch(node.port, node.dir, persistent);
      await ready();
    },
    async migrateSlot(slot, to) {
      const view = masters(String(await nodeCommand(0, ['CLUSTER', 'NODES'])));
      const holds = (range: string) => {
        const [low, high = low] = range.split('-').map(Number);
        return slot >= (low as number) && slot <= (high as number);
      };
      const source = view.find((m) => m.slots.split(' ').some(holds));
      const target = view.find((m) => m.port === nodes[to]?.port);
      if (source === undefined || target === undefined) throw new Error(`migrateSlot: no node holds slot ${slot}, or no node ${to}`);
      const from = nodes.findIndex((n) => n.port === source.port);
      if (from === to) return from;
      await nodeCommand(to, ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', source.id]);
      await nodeCommand(from, ['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', target.id]);
      for (;;) {
        const keys = (await nodeCommand(from, ['CLUSTER', 'GETKEYSINSLOT', String(slot), '100'])) as string[];
        if (keys.length === 0) break;
        await nodeCommand(from, ['MIGRATE', '127.0.0.1', String(target.port), '', '0', '5000', 'KEYS', ...keys]);
      }
      // The target first, then the source, then the third (as redis-cli does).
      for (const i of [to, from, ...nodes.keys()].filter((i, n, all) => all.indexOf(i) === n)) {
        await nodeCommand(i, ['CLUSTER', 'SETSLOT', String(slot), 'NODE', target.id]);
      }
      await ready();
      return from;
    },
    stop,
  };
}

/** A node-redis cluster client over the cluster, failing fast while a node is away, as `connectClient` does for one server. */
export async function connectCluster(urls: readonly string[], onError: (error: unknown) => void = () => {}) {
  const cluster = createCluster({
    rootNodes: urls.map((url) => ({ url })),
    defaults: { disableOfflineQueue: true, socket: { reconnectStrategy: (retries: number) => Math.min(20 * retries, 200), connectTimeout: 2_000 } },
  });
  cluster.on('error', onError);
  await cluster.connect();
  return cluster;
}

/** A connected cluster client, and the library's client over it (`clusterCommandClient`). */
export async function connectClusterClient(urls: readonly string[], onError?: (error: unknown) => void) {
  const cluster = await connectCluster(urls, onError);
  return Object.assign(clusterCommandClient(cluster), {
    cluster,
    close: () => cluster.close(),
  });
}
