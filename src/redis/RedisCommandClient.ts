/**
 * What the Redis adapters need of a client: one method that sends a command and resolves with its reply. The
 * official `redis` client (node-redis 5 and later) is one as it is; for another client, wrap its raw-command call
 * (ioredis: `{ sendCommand: (args) => redis.call(args[0], ...args.slice(1)) }`); for a Redis Cluster, node-redis's
 * `createCluster` through {@link clusterCommandClient}. Replies may be RESP2 or RESP3;
 * the adapters read only strings, integers and arrays.
 *
 * Errors: a reply error (the server answered `ERR …`, `NOSCRIPT …`) must reject with an `Error` whose message
 * starts with the server's error code, as node-redis does; any other rejection counts as "Redis is unavailable".
 *
 * @category Client
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisCommandClient } from 'agent-presence/redis';
 * // Not connected here; call `await client.connect()` before the first command.
 * const client: RedisCommandClient = createClient({ url: 'redis://127.0.0.1:6379', disableOfflineQueue: true });
 * ```
 */
export interface RedisCommandClient {
  /**
   * @param args - the command and its arguments, e.g. `['HGET', 'key', 'field']`
   * @param options - node-redis's command options: the adapters pass `{ timeout: 0 }` (they bound their commands
   *   themselves, with `commandTimeoutMs`); a client of another kind may ignore it
   * @returns the reply
   */
  sendCommand(args: string[], options?: { readonly timeout?: number }): Promise<unknown>;
}
