/**
 * Where a Redis suite runs: one `redis-server` (redisServer.ts), or a 3-master Redis Cluster (redisCluster.ts)
 * reached through node-redis `createCluster` and the library's `clusterCommandClient`. A suite written once runs on
 * both: `describe.each(REDIS_TARGETS)('on %s', (kind) => { const redis = useRedisTarget(kind); … })`. Worker
 * processes connect with `connectTargetFromEnv()` to what `target.env` names.
 */
import { afterAll, beforeAll } from 'vitest';
import type { RedisCommandClient } from '../../src/redis/index';
import { connectClusterClient, startRedisCluster, type RedisCluster } from './redisCluster';
import { connectClient, startRedisServer, type RedisServer } from './redisServer';

export const REDIS_TARGETS = ['redis-server', 'cluster'] as const;
export type RedisTargetKind = (typeof REDIS_TARGETS)[number];

/** A connected client the adapters take, and its `close`. */
export type RedisTestConnection = RedisCommandClient & { close(): Promise<void> };

export interface RedisTarget {
  readonly kind: RedisTargetKind;
  /** The server (kind `redis-server`). */
  readonly server: RedisServer | undefined;
  /** The cluster (kind `cluster`). */
  readonly cluster: RedisCluster | undefined;
  /** For a worker's environment: REDIS_URL, or REDIS_CLUSTER_URLS (comma-separated). */
  readonly env: Readonly<Record<string, string>>;
  connect(onError?: (error: unknown) => void): Promise<RedisTestConnection>;
  stop(): Promise<void>;
}

export async function startRedisTarget(kind: RedisTargetKind): Promise<RedisTarget> {
  if (kind === 'cluster') {
    const cluster = await startRedisCluster();
    return {
      kind,
      server: undefined,
      cluster,
      env: { REDIS_CLUSTER_URLS: cluster.urls.join(','), REDIS_URL: '' },
      connect: (onError) => connectClusterClient(cluster.urls, onError),
      stop: () => cluster.stop(),
    };
  }
  const server = await startRedisServer();
  return {
    kind,
    server,
    cluster: undefined,
    env: { REDIS_URL: server.url, REDIS_CLUSTER_URLS: '' },
    connect: (onError) => connectClient(server.url, onError),
    stop: () => server.stop(),
  };
}

/** In a worker process: a client to what the parent's `target.env` named. */
export function connectTargetFromEnv(onError?: (error: unknown) => void): Promise<RedisTestConnection> {
  const urls = process.env.REDIS_CLUSTER_URLS;
  if (urls !== undefined && urls !== '') return connectClusterClient(urls.split(','), onError);
  return connectClient(process.env.REDIS_URL as string, onError);
}

/**
 * Gives a suite (or a `describe`) its own target and client: started before its tests, stopped after them. Read
 * `redis.client` and `redis.target` inside tests.
 */
export function useRedisTarget(kind: RedisTargetKind): { readonly target: RedisTarget; readonly client: RedisTestConnection } {
  let target: RedisTarget | undefined;
  let client: RedisTestConnection | undefined;
  beforeAll(async () => {
    target = await startRedisTarget(kind);
    client = await target.connect();
  });
  afterAll(async () => {
    await client?.close();
    await target?.stop();
  });
  return {
    get target() {
      if (target === undefined) throw new Error('useRedisTarget: the target starts before the tests, not at load');
      return target;
    },
    get client() {
      if (client === undefined) throw new Error('useRedisTarget: the client connects before the tests, not at load');
      return client;
    },
  };
}

/**
 * One target per kind for a whole file, each started at the first `describe` that asks for it (`redis.use(kind)`
 * at the top of a `describe.each(REDIS_TARGETS)`), all stopped after the file. `redis.client` and `redis.target`
 * are those of the `describe` running: a suite written for one server runs on the Cluster by wrapping its
 * `describe` and adding that one line.
 */
export function useRedisTargets(): {
  readonly target: RedisTarget;
  readonly client: RedisTestConnection;
  use(kind: RedisTargetKind): void;
} {
  const started = new Map<RedisTargetKind, Promise<{ target: RedisTarget; client: RedisTestConnection }>>();
  let current: { target: RedisTarget; client: RedisTestConnection } | undefined;
  afterAll(async () => {
    for (const pending of started.values()) {
      const { target, client } = await pending;
      await client.close();
      await target.stop();
    }
  });
  return {
    use(kind) {
      beforeAll(async () => {
        if (!started.has(kind)) {
          started.set(
            kind,
            startRedisTarget(kind).then(async (target) => ({ target, client: await target.connect() })),
          );
        }
        current = await started.get(kind);
      });
      afterAll(() => {
        current = undefined;
      });
    },
    get target() {
      if (current === undefined) throw new Error('useRedisTargets: the target starts before the tests of a describe that calls redis.use(kind)');
      return current.target;
    },
    get client() {
      if (current === undefined) throw new Error('useRedisTargets: the client connects before the tests of a describe that calls redis.use(kind)');
      return current.client;
    },
  };
}
