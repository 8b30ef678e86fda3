import type { RedisCommandClient } from './RedisCommandClient';

/**
 * What {@link clusterCommandClient} needs of a Redis Cluster client: node-redis's `createCluster(…)` is one as it
 * is. Its `sendCommand` takes the key that picks the slot first, then whether the command only reads (the adapter
 * always says `false`: every command goes to the slot's primary), then the command.
 *
 * @category Client
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * import type { RedisClusterClient } from 'agent-presence/redis';
 * // Not connected here; call `await cluster.connect()` before the first command.
 * const cluster: RedisClusterClient = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:7000' }] });
 * ```
 */
export interface RedisClusterClient {
  /**
   * @param firstKey - the key whose slot picks the node (undefined: any node)
   * @param isReadonly - whether the command only reads
   * @param args - the command and its arguments
   * @returns the reply
   */
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[], options?: { readonly timeout?: number }): Promise<unknown>;
  /** A new cluster client with the same options (node-redis `cluster.duplicate()`), not connected yet. */
  duplicate?(): RedisClusterClient;
  /** Connects a duplicate. */
  connect?(): Promise<unknown>;
  /** Closes a duplicate at once (commands in flight are rejected). */
  destroy?(): void;
  /** Listens for a duplicate's connection errors. */
  on?(event: 'error', listener: (error: unknown) => void): unknown;
}

/** Commands whose keys follow a key count: `EVAL script numkeys key…`. */
const KEY_COUNT_AT_2 = new Set(['EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO']);
/** Commands whose key follows a subcommand: `XINFO STREAM key`, `MEMORY USAGE key`, `OBJECT ENCODING key`, `XGROUP CREATE key …`. */
const KEY_AT_2 = new Set(['XINFO', 'MEMORY', 'OBJECT', 'XGROUP']);
/** Commands that name no key (sent to any node). */
const KEYLESS = new Set(['PING', 'TIME', 'SCRIPT', 'INFO', 'CLUSTER', 'COMMAND', 'ECHO', 'CONFIG', 'DBSIZE', 'FUNCTION', 'SCAN', 'RANDOMKEY']);
/** How long a blocking read over streams of several slots waits between two looks at them (see {@link clusterCommandClient}). */
const SPLIT_BLOCK_POLL_MS = 10;

// CRC16-CCITT (XMODEM), as Redis Cluster hashes keys to slots.
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
  CRC16[i] = crc & 0xffff;
}
const encoder = new TextEncoder();

/**
 * The Redis Cluster slot of a key: CRC16 of its hash tag (the text between the first `{` and the next `}`, when
 * not empty), else of the whole key, modulo 16,384.
 *
 * @internal
 */
export function clusterKeySlot(key: string): number {
  let bytes = encoder.encode(key);
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) bytes = bytes.subarray(open + 1, close);
  }
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (CRC16[((crc >> 8) ^ byte) & 0xff] as number);
  return crc % 16_384;
}

/** The stream keys and ids of an `XREAD [COUNT n] [BLOCK ms] STREAMS key… id…`, and the options before them. */
function xreadParts(args: readonly string[]): { options: string[]; keys: string[]; ids: string[]; block: number | undefined } | undefined {
  const at = args.findIndex((arg, i) => i > 0 && arg.toUpperCase() === 'STREAMS');
  if (at === -1) return undefined;
  const rest = args.slice(at + 1);
  if (rest.length === 0 || rest.length % 2 !== 0) return undefined;
  const options = args.slice(1, at);
  const blockAt = options.findIndex((arg) => arg.toUpperCase() === 'BLOCK');
  return {
    options,
    keys: rest.slice(0, rest.length / 2),
    ids: rest.slice(rest.length / 2),
    block: blockAt === -1 ? undefined : Number(options[blockAt + 1]),
  };
}

/** The key that routes a command: the first key of a script, the first stream of an XREAD, the key after a subcommand, else `args[1]`. */
export function routingKey(args: readonly string[]): string | undefined {
  const command = (args[0] ?? '').toUpperCase();
  if (KEY_COUNT_AT_2.has(command)) return Number(args[2]) > 0 ? args[3] : undefined;
  if (command === 'XREAD' || command === 'XREADGROUP') return xreadParts(args)?.keys[0];
  if (KEY_AT_2.has(command)) return args[2];
  if (KEYLESS.has(command)) return undefined;
  return args[1];
}

const adapters = new WeakMap<RedisClusterClient, RedisCommandClient>();
/** The clients {@link clusterCommandClient} made (see {@link isClusterCommandClient}). */
const overClusters = new WeakSet<RedisCommandClient>();

/**
 * Whether the adapters' client is one {@link clusterCommandClient} made: its keys lie in several slots, so no script
 * may touch the keys of two slots (the Redis store then claims work items in steps, not in its save).
 *
 * @internal
 */
export function isClusterCommandClient(client: RedisCommandClient): boolean {
  return overClusters.has(client);
}

/**
 * The adapters' client over a Redis Cluster: each command goes to the primary of its key's slot, node-redis's
 * cluster client following `MOVED` and `ASK` redirections (a slot migrated, a failover) on its own. A script
 * (`EVALSHA`, `EVAL`) is routed by its first key: every script of this library touches the keys of one shard, and
 * every key of a shard carries its hash tag `{N}`, so they share a slot. An `XREAD` is routed by its first stream;
 * one over streams of several slots (a follower reading every shard at once) is sent as one `XREAD` per slot and
 * the replies put together. When such a read asks to `BLOCK`, it is not sent blocking (one blocked read per slot
 * would hold each primary's connection): the slots are read without blocking (a `$` taken as each stream's newest id), again every 10 ms while none
 * has entries, until one has or the `BLOCK` time is over (then nil, as a blocking read that timed out replies).
 *
 * The client has a `duplicate()` when the cluster has one (node-redis): the change-stream and config followers
 * then wait on a cluster client of their own (made, connected and destroyed by them), so that a change saved by
 * any process reaches them within about 10 ms rather than at their next poll.
 *
 * Give every adapter of a process the same client: this returns the same object for the same cluster, so that a
 * follower knows the entries its own process's saves wrote. Set `shards` to a few per primary (16 or more) so that
 * the agents spread over every primary. A cluster handed to the adapters without this wrapper is refused (its
 * `sendCommand` takes the routing key first).
 *
 * @param cluster - a node-redis cluster (`createCluster({ rootNodes, defaults: { disableOfflineQueue: true } })`), connected before the first command
 * @returns a client for `createRedisPresence` and the other adapters
 * @category Client
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * import { clusterCommandClient, createRedisPresence } from 'agent-presence/redis';
 * const cluster = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:7000' }], defaults: { disableOfflineQueue: true } }); // await cluster.connect() before use
 * const client = clusterCommandClient(cluster);
 * const redis = createRedisPresence(client, { keyPrefix: 'presence:', shards: 16 });
 * console.log(clusterCommandClient(cluster) === client, redis.store.keysOf('agent-7').record); // true presence:{2}:agent:agent-7
 * ```
 */
export function clusterCommandClient(cluster: RedisClusterClient): RedisCommandClient {
  if (typeof cluster?.sendCommand !== 'function') {
    throw new TypeError('clusterCommandClient: cluster must be a Redis Cluster client (node-redis createCluster)');
  }
  const known = adapters.get(cluster);
  if (known !== undefined) return known;
  const routed = (args: string[], options?: { readonly timeout?: number }) => cluster.sendCommand(routingKey(args), false, args, options);

  /** The id of the newest entry a stream was ever given ('0-0' when there is no stream). */
  const lastGeneratedId = async (key: string): Promise<string> => {
    let info: unknown;
    try {
      info = await routed(['XINFO', 'STREAM', key]);
    } catch (error) {
      if (error instanceof Error && /no such key/i.test(error.message)) return '0-0';
      throw error;
    }
    if (info instanceof Map) return String(info.get('last-generated-id'));
    if (Array.isArray(info)) return String(info[info.indexOf('last-generated-id') + 1]);
    return String((info as Record<string, unknown>)['last-generated-id']);
  };

  /** An XREAD over streams of several slots: one per slot, the replies (RESP2 arrays or a RESP3 map) merged. */
  const splitRead = async (parts: NonNullable<ReturnType<typeof xreadParts>>): Promise<unknown> => {
    const bySlot = new Map<number, number[]>();
    parts.keys.forEach((key, i) => {
      const slot = clusterKeySlot(key);
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), i]);
    });
    const options: string[] = [];
    for (let i = 0; i < parts.options.length; i++) {
      if (parts.options[i]?.toUpperCase() === 'BLOCK') i++;
      else options.push(parts.options[i] as string);
    }
    const read = async () => {
      const replies = await Promise.all(
        [...bySlot.values()].map((indexes) =>
          routed(['XREAD', ...options, 'STREAMS', ...indexes.map((i) => parts.keys[i] as string), ...indexes.map((i) => parts.ids[i] as string)]),
        ),
      );
      const present = replies.filter((reply) => reply !== null && reply !== undefined);
      if (present.length === 0) return null;
      if (present.every((reply) => Array.isArray(reply))) return (present as unknown[][]).flat();
      const merged: Record<string, unknown> = {};
      for (const reply of present) {
        if (reply instanceof Map) for (const [key, value] of reply) merged[String(key)] = value;
        else Object.assign(merged, reply);
      }
      return merged;
    };
    if (parts.block !== undefined && parts.ids.includes('$')) {
      // '$' (entries after the newest) means nothing to a read that does not block: each stream's newest id instead.
      parts = { ...parts, ids: await Promise.all(parts.ids.map(async (id, i) => (id === '$' ? lastGeneratedId(parts.keys[i] as string) : id))) };
    }
    const deadline = parts.block === undefined || parts.block === 0 ? Number.POSITIVE_INFINITY : Date.now() + parts.block;
    for (;;) {
      const reply = await read();
      if (reply !== null || parts.block === undefined || Date.now() >= deadline) return reply;
      await new Promise((resolve) => setTimeout(resolve, Math.min(SPLIT_BLOCK_POLL_MS, Math.max(1, deadline - Date.now()))));
    }
  };

  const adapter: RedisCommandClient = {
    sendCommand(args, options) {
      if ((args[0] ?? '').toUpperCase() === 'XREAD') {
        const parts = xreadParts(args);
        if (parts !== undefined && new Set(parts.keys.map(clusterKeySlot)).size > 1) return splitRead(parts);
      }
      return routed(args, options);
    },
  };
  if (typeof cluster.duplicate === 'function') {
    // The followers' connection to wait on (see the connections to block on in `RedisFollowOptions`): a cluster of
    // its own, so that a read blocking on one stream, or the split read's looks every 10 ms, never hold up the
    // commands of the shared one.
    const duplicate = cluster.duplicate.bind(cluster);
    Object.assign(adapter, {
      duplicate() {
        const copy = duplicate();
        return Object.assign(clusterCommandClient(copy), {
          connect: () => copy.connect?.(),
          destroy: () => copy.destroy?.(),
          on: (event: 'error', listener: (error: unknown) => void) => copy.on?.(event, listener),
        });
      },
    });
  }
  adapters.set(cluster, adapter);
  overClusters.add(adapter);
  return adapter;
}

/**
 * Checks what the adapters were given as a client: it must have `sendCommand(args)`; a Redis Cluster client
 * (whose `sendCommand` takes the routing key first) is refused with the way to wrap it.
 *
 * @internal
 */
export function checkCommandClient(caller: string, client: RedisCommandClient): void {
  if (typeof client?.sendCommand !== 'function') {
    throw new TypeError(`${caller}: client must have a sendCommand method (a node-redis client)`);
  }
  const maybeCluster = client as unknown as { nodeClient?: unknown; getSlotRandomNode?: unknown };
  if (typeof maybeCluster.nodeClient === 'function' && typeof maybeCluster.getSlotRandomNode === 'function') {
    throw new TypeError(
      `${caller}: client is a Redis Cluster client, whose sendCommand takes the routing key first: pass clusterCommandClient(cluster) (from agent-presence/redis) instead`,
    );
  }
}
