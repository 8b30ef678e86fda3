import { isBaseStatus } from '../core/index';
import { isPlainObject } from '../core/internal';
import type { HistoryStore, PresenceChange, WorkHistoryEntry } from '../service/index';
import { checkCommandClient } from './clusterCommandClient';
import type { RedisCommandClient } from './RedisCommandClient';
import { list, send, text, boundCommands } from './redisCommands';
import { resolveLayout } from './redisLayout';
import type { RedisPresenceOptions } from './RedisPresenceOptions';

/**
 * A {@link HistoryStore} on Redis, for `timeInStatus` and `report`: each agent's latest `historyLimit` entries
 * (default 1,000), its presence changes and its work entries together, in a capped list. The Redis store's save
 * script appends them in the same step as the save, so `append` and `appendWork` here do nothing (and use it only
 * with the Redis store); `read` and `readWork` return those that matter for the window. Time before the oldest
 * change kept counts as `untracked`, and a busy agent's work entries take their share of the limit.
 *
 * @param client - a connected client
 * @param options - the same key prefix and shards as the store
 * @returns the history store
 * @throws TypeError naming each bad option
 * @category Store
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService } from 'agent-presence/service';
 * import { createRedisHistoryStore, createRedisPresenceStore } from 'agent-presence/redis';
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }); // await client.connect() before use
 * const options = { keyPrefix: 'presence:', historyLimit: 500 };
 * const service = createPresenceService({
 *   machine: createPresenceMachine({}),
 *   store: createRedisPresenceStore(client, options),
 *   history: createRedisHistoryStore(client, options),
 * });
 * ```
 */
export function createRedisHistoryStore(client: RedisCommandClient, options?: RedisPresenceOptions): HistoryStore {
  checkCommandClient('createRedisHistoryStore', client);
  const layout = resolveLayout('createRedisHistoryStore', options);
  boundCommands(client, layout.commandTimeoutMs);
  return {
    append() {
      // Written by the Redis store's save script, atomically with the save.
    },
    async read(agentId, window) {
      // An entry that is not a change (corrupt JSON, a field of the wrong kind, a work entry) is passed over: the time
      // around it counts toward the presence before it, and one bad entry never makes the agent's report fail.
      return inWindow(await readLog(agentId, readChange), window);
    },
    appendWork() {
      // Written by the Redis store's save script, atomically with the save.
    },
    async readWork(agentId, window) {
      return inWindow(await readLog(agentId, readWorkEntry), window);
    },
  };

  async function readLog<T>(agentId: string, read: (item: string | undefined) => T | undefined): Promise<T[]> {
    const items = list(await send(client, ['LRANGE', layout.historyKey(agentId), '0', '-1']));
    return items.map((item) => read(text(item))).filter((entry) => entry !== undefined);
  }
}

/** The entries that matter for a window: the last one at or before `from` (what held when it starts), then those before `to`. */
function inWindow<T extends { readonly at: number }>(log: readonly T[], { from, to }: { from: number; to: number }): T[] {
  let start = 0;
  for (let i = 0; i < log.length; i++) if ((log[i] as T).at <= from) start = i;
  return log.slice(start).filter((entry, i) => i === 0 || entry.at < to);
}

/** JSON text parsed, or undefined when it is not JSON. */
function parse(item: string | undefined): unknown {
  try {
    return JSON.parse(item ?? '');
  } catch {
    return undefined;
  }
}

/** A work entry as stored, or undefined when it is not one a report can use (a change, corrupt JSON, a field of the wrong kind). */
function readWorkEntry(item: string | undefined): WorkHistoryEntry | undefined {
  const entry = parse(item);
  if (!isPlainObject(entry) || typeof entry.agentId !== 'string' || !Number.isFinite(entry.version)) return undefined;
  if (!Number.isFinite(entry.at) || !Number.isFinite(entry.used) || !Number.isFinite(entry.capacity)) return undefined;
  const kinds: unknown[] = ['assigned', 'released', 'missed', 'rejected'];
  if (entry.kind !== undefined && !kinds.includes(entry.kind)) return undefined;
  return entry as unknown as WorkHistoryEntry;
}

/** A history entry as stored, or undefined when it is not a change `timeInStatus` can use. */
function readChange(item: string | undefined): PresenceChange | undefined {
  const change = parse(item);
  if (!isPlainObject(change) || !Number.isFinite(change.at) || !Number.isFinite(change.version) || !isPlainObject(change.to)) return undefined;
  const { presenceId, base } = change.to;
  return typeof presenceId === 'string' && isBaseStatus(base) ? (change as unknown as PresenceChange) : undefined;
}
