import { isBaseStatus } from '../core/index';
import { isPlainObject } from '../core/internal';
import type { HistoryStore, PresenceChange } from '../service/index';
import { checkCommandClient } from './clusterCommandClient';
import type { RedisCommandClient } from './RedisCommandClient';
import { list, send, text, boundCommands } from './redisCommands';
import { resolveLayout } from './redisLayout';
import type { RedisPresenceOptions } from './RedisPresenceOptions';

/**
 * A {@link HistoryStore} on Redis, for `timeInStatus`: each agent's latest `historyLimit` presence changes (default
 * 1,000) in a capped list. The Redis store's save script appends each change in the same step as the save, so
 * `append` here does nothing (and use it only with the Redis store); `read` returns the changes that matter for
 * the window. Time before the oldest change kept counts as `untracked`.
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
    async read(agentId, { from, to }) {
      // An entry that is not a change (corrupt JSON, a field of the wrong kind) is passed over: the time around it
      // counts toward the presence before it, and one bad entry never makes the agent's report fail.
      const log = list(await send(client, ['LRANGE', layout.historyKey(agentId), '0', '-1']))
        .map((item) => readChange(text(item)))
        .filter((change) => change !== undefined);
      // The last change at or before `from` (the presence the window starts in), then those before `to`.
      let start = 0;
      for (let i = 0; i < log.length; i++) if ((log[i] as PresenceChange).at <= from) start = i;
      return log.slice(start).filter((change, i) => i === 0 || change.at < to);
    },
  };
}

/** A history entry as stored, or undefined when it is not a change `timeInStatus` can use. */
function readChange(item: string | undefined): PresenceChange | undefined {
  let change: unknown;
  try {
    change = JSON.parse(item ?? '');
  } catch {
    return undefined;
  }
  if (!isPlainObject(change) || !Number.isFinite(change.at) || !Number.isFinite(change.version) || !isPlainObject(change.to)) return undefined;
  const { presenceId, base } = change.to;
  return typeof presenceId === 'string' && isBaseStatus(base) ? (change as unknown as PresenceChange) : undefined;
}
