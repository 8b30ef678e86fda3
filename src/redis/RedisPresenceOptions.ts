/**
 * How the presence data is laid out in Redis, and its limits. Give every process of a deployment the same
 * options: they name the keys (`keyPrefix`, `shards`) and every process must find the same ones.
 *
 * Keys (`P` the prefix, `N` the agent's shard, `0` … `shards - 1`):
 *
 * - `P{N}:agent:<agentId>`: a hash, `v` the version and `r` the record (`snapshotRecord` JSON);
 * - `P{N}:agents`: a set of the shard's agent ids (for `list`);
 * - `P{N}:changes`: the shard's stream, one entry per save (capped at about `maxLen`);
 * - `P{N}:history:<agentId>`: a list of the agent's latest `historyLimit` presence changes;
 * - `P{N}:deadlines` (hash) and `P{N}:timers` (sorted set): each agent's next deadline, and when to look at it.
 * - `P{N}:unreadable:<agentId>`: written only by `repairAgent`, what it found at the agent's record key and had to
 *   move aside to save over it (a key of another type), kept for inspection.
 * - `P{w:<workItemId>}:claim`: a hash, the agent a work item is given to (one item, one agent), in the item's own
 *   slot; and `P{N}:fences:<agentId>`: a hash of the agent's claims taken over (kept a day), checked by its saves.
 * - `P{N}:roster` (hash), `P{N}:roster:buckets` (hash), `P{N}:roster:f:<bucket>` and `P{N}:roster:i:<bucket>`
 *   (sorted sets): the shard's routable agents by base status, presence id and slack, most free and longest idle
 *   first, kept by the save script, read by `findAvailable`; `P{N}:roster:reserved` (sorted set: agent id → until
 *   when, ms by Redis's clock): the agents `route` is giving an item to right now, each for at most its `reserveMs`.
 *
 * Every key of a shard carries the hash tag `{N}`, so on Redis Cluster they share a slot and one Lua script can
 * write an agent's record, its shard's stream and timers together. An agent's shard is a hash of its id
 * (FNV-1a over UTF-8) modulo `shards`; changing `shards` moves agents, so pick it once: 1 for a single Redis,
 * a few per cluster node (16, say) for a Cluster.
 *
 * @category Setup
 * @example
 * ```ts
 * import type { RedisPresenceOptions } from 'agent-presence/redis';
 * const options: RedisPresenceOptions = { keyPrefix: 'presence:', shards: 16, maxLen: 200_000, leaseMs: 30_000 };
 * ```
 */
export interface RedisPresenceOptions {
  /** Prepended to every key (default `agent-presence:`); no `{` or `}`. */
  readonly keyPrefix?: string | undefined;
  /** How many shards the agents are spread over (default 1; at most 16,384). */
  readonly shards?: number | undefined;
  /** About how many entries each shard's change stream keeps (`XADD MAXLEN ~`; default 100,000). */
  readonly maxLen?: number | undefined;
  /**
   * How long each shard's change stream keeps an entry, in ms (default none: bounded by `maxLen` alone). The
   * followers of the writing processes trim what is older (`XTRIM MINID ~`, by Redis's clock) on their reads, at
   * most every tenth of it (1 s to 1 min); whole stream nodes go, so an entry may outlive it by that much and a node.
   */
  readonly maxAgeMs?: number | undefined;
  /** How many presence changes each agent's history keeps (default 1,000). */
  readonly historyLimit?: number | undefined;
  /** How long a claimed timer stays with the process that claimed it before another may take it (default 30,000 ms). */
  readonly leaseMs?: number | undefined;
  /**
   * How long a work item's claim that its holder's record does not hold yet (an assignment in flight) keeps other
   * agents from the item (default 10,000 ms; by Redis's clock). After it, the claim is stale and another agent may take
   * the item: a router that died between its claim and its save blocks the item that long. See "One item, one agent"
   * in docs/scale-out.md.
   */
  readonly claimLeaseMs?: number | undefined;
  /**
   * How many agents' records the store keeps in this process, as it last saved or read them (default 10,000; 0:
   * none), so that a dispatch to one of them is one round trip: the save's compare-and-set on the version (and
   * generation) finds out a record that moved on, and returns the current one for the retry.
   */
  readonly recordCacheSize?: number | undefined;
  /**
   * How long the adapters wait for the reply to a command before it fails with `RedisUnavailableError`, in ms (0:
   * forever). Default: the client's own `commandOptions.timeout` when it has one, else node-redis's default, 5 s.
   * The adapters send their commands with node-redis's per-command timeout off and keep one timer for all those in
   * flight instead: node-redis's makes an `AbortSignal` and a timer per command that live for the whole timeout, most
   * of a busy process's garbage. A blocking read (`XREAD … BLOCK`) keeps the client's own timeout.
   */
  readonly commandTimeoutMs?: number | undefined;
}
