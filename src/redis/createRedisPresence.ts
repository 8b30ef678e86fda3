import type { HistoryStore, PresenceService, Scheduler } from '../service/index';
import { createRedisChangeStream, type RedisChangeStream, type RedisFollower, type RedisFollowOptions } from './createRedisChangeStream';
import { createRedisHistoryStore } from './createRedisHistoryStore';
import { createRedisPresenceStore, type RedisPresenceStore } from './createRedisPresenceStore';
import { createRedisTimers, type RedisTimerRunner, type RedisTimerRunOptions, type RedisTimers } from './createRedisTimers';
import type { RedisCommandClient } from './RedisCommandClient';
import type { RedisPresenceOptions } from './RedisPresenceOptions';

/**
 * The Redis adapters of one deployment, made by {@link createRedisPresence}: the service's ports to spread into
 * its options, and `start` to follow the change stream and run the timers.
 *
 * @category Setup
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisPresence, type RedisPresence } from 'agent-presence/redis';
 * const redis: RedisPresence = createRedisPresence(createClient(), { keyPrefix: 'presence:' });
 * console.log(Object.keys(redis.ports)); // [ 'store', 'history', 'scheduler' ]
 * ```
 */
export interface RedisPresence {
  /** For `createPresenceService({ machine, ...redis.ports })`. */
  readonly ports: { readonly store: RedisPresenceStore; readonly history: HistoryStore; readonly scheduler: Scheduler };
  readonly store: RedisPresenceStore;
  readonly history: HistoryStore;
  readonly changes: RedisChangeStream;
  readonly timers: RedisTimers;
  /**
   * Follows the change stream into the service (roster and listeners) and runs the timers.
   *
   * @param service - the service made with `ports`
   * @param options - `follow` and `timers` options
   * @returns the follower and the timer loop
   */
  start(
    service: PresenceService,
    options?: { readonly follow?: RedisFollowOptions | undefined; readonly timers?: RedisTimerRunOptions | undefined },
  ): { readonly follower: RedisFollower; readonly timers: RedisTimerRunner };
  /**
   * For a process that only watches (a supervisor board): follows the change stream into the service, so that its
   * `subscribe` listeners, `get` and `findAvailable` see what the other processes save, and does nothing else —
   * no timers, and no command that writes (the follower's reads are read-only scripts, and a data loss it finds
   * resynchronises the service without writing a new generation: see `readOnly` in {@link RedisFollowOptions}).
   * Its service must not `dispatch` either (nothing here stops it): give it no events.
   *
   * @param service - the service made with `ports`, to follow into
   * @param options - `follow` options (`readOnly` is set)
   * @returns the follower
   */
  listen(service: PresenceService, options?: { readonly follow?: RedisFollowOptions | undefined }): { readonly follower: RedisFollower };
  /**
   * Stops what `start` and `listen` started.
   *
   * @returns once the follower and the timer loop have stopped
   */
  stop(): Promise<void>;
}

/**
 * Every Redis adapter for one deployment, over one client and one set of options: the store (compare-and-set in
 * one Lua script that also appends to the change stream, the history and the timers), the history, the timers'
 * scheduler, and the change stream. Going from the in-memory default to several processes is two lines:
 *
 * ```
 * const redis = createRedisPresence(client, { keyPrefix: 'presence:' });
 * const service = createPresenceService({ machine, ...redis.ports }); redis.start(service);
 * ```
 *
 * @param client - a connected client (node-redis `createClient({ url, disableOfflineQueue: true })`)
 * @param options - key prefix, shards and limits; the same in every process
 * @returns the adapters
 * @throws TypeError naming each bad option
 * @category Setup
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService } from 'agent-presence/service';
 * import { createRedisPresence } from 'agent-presence/redis';
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', disableOfflineQueue: true }); // await client.connect() before use
 * const redis = createRedisPresence(client, { keyPrefix: 'presence:' });
 * const service = createPresenceService({ machine: createPresenceMachine({}), ...redis.ports });
 * // Once connected: redis.start(service); … await redis.stop(); await service.close(); await client.close();
 * ```
 */
export function createRedisPresence(client: RedisCommandClient, options?: RedisPresenceOptions): RedisPresence {
  const store = createRedisPresenceStore(client, options);
  const history = createRedisHistoryStore(client, options);
  const changes = createRedisChangeStream(client, options);
  const timers = createRedisTimers(client, options);
  const running: { follower: RedisFollower; timers?: RedisTimerRunner }[] = [];
  return {
    ports: { store, history, scheduler: timers.scheduler },
    store,
    history,
    changes,
    timers,
    start(service, startOptions = {}) {
      const started = { follower: changes.follow(service, startOptions.follow), timers: timers.run(service, startOptions.timers) };
      running.push(started);
      return started;
    },
    listen(service, listenOptions = {}) {
      const started = { follower: changes.follow(service, { ...listenOptions.follow, readOnly: true }) };
      running.push(started);
      return started;
    },
    async stop() {
      const all = running.splice(0);
      await Promise.all(all.flatMap((r) => [r.follower.stop(), ...(r.timers === undefined ? [] : [r.timers.stop()])]));
    },
  };
}
