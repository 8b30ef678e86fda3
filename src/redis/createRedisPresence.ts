import type { HistoryStore, PresenceService, Scheduler } from '../service/index';
import { createRedisChangeStream, type RedisChangeStream, type RedisFollower, type RedisFollowOptions } from './createRedisChangeStream';
import { createRedisHistoryStore } from './createRedisHistoryStore';
import { createRedisPresenceStore, type RedisPresenceStore } from './createRedisPresenceStore';
import { createRedisTimers, type RedisTimerRunner, type RedisTimerRunOptions, type RedisTimers } from './createRedisTimers';
import type { RedisCommandClient } from './RedisCommandClient';
import { RedisConfigError } from './RedisConfigError';
import type { RedisPresenceOptions } from './RedisPresenceOptions';
import { bindConfig } from './configBinding';
import { configFollowersOf, createRedisConfig, type RedisConfigFollower, type RedisConfigFollowOptions, type RedisConfigStore } from './createRedisConfig';

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
  /** The presence config kept in Redis: `publish` one from any process, and every started process runs it. */
  readonly config: RedisConfigStore;
  /**
   * Follows the change stream into the service (roster and listeners), runs the timers, and follows the config
   * kept in Redis: the service runs the newest one published (`reconfigure`), now and as new ones come. The
   * store's saves then carry that config version, and a save whose shard is on a newer one has the service take
   * it up and apply its event again with it; until the first read of the config is done, saves wait for it. With
   * `config: false` the config is not followed: a save meeting a shard on a published config is then refused
   * with a {@link RedisConfigError} (`stale`).
   *
   * @param service - the service made with `ports`
   * @param options - `follow`, `timers` and `config` options
   * @returns the follower, the timer loop and the config follower
   */
  start(
    service: PresenceService,
    options?: {
      readonly follow?: RedisFollowOptions | undefined;
      readonly timers?: RedisTimerRunOptions | undefined;
      readonly config?: RedisConfigFollowOptions | false | undefined;
    },
  ): { readonly follower: RedisFollower; readonly timers: RedisTimerRunner; readonly config?: RedisConfigFollower };
  /**
   * For a process that only watches (a supervisor board): follows the change stream into the service, so that its
   * `subscribe` listeners, `get` and `findAvailable` see what the other processes save, and does nothing else —
   * no timers, and no command that writes (the follower's reads are read-only scripts, and a data loss it finds
   * resynchronises the service without writing a new generation: see `readOnly` in {@link RedisFollowOptions}).
   * Its service must not `dispatch` either (nothing here stops it): give it no events.
   *
   * It follows the config kept in Redis too (reading only), so that its presences read as the others' do.
   *
   * @param service - the service made with `ports`, to follow into
   * @param options - `follow` options (`readOnly` is set) and `config` options (`false`: not followed)
   * @returns the follower and the config follower
   */
  listen(
    service: PresenceService,
    options?: { readonly follow?: RedisFollowOptions | undefined; readonly config?: RedisConfigFollowOptions | false | undefined },
  ): { readonly follower: RedisFollower; readonly config?: RedisConfigFollower };
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
  const config = createRedisConfig(client, options);
  const running: { follower: RedisFollower; timers?: RedisTimerRunner; config?: RedisConfigFollower }[] = [];

  const followConfig = (service: PresenceService, given: RedisConfigFollowOptions | false | undefined): RedisConfigFollower | undefined =>
    given === false ? undefined : config.follow(service, given);
  // The store's saves answer to every config follower of this process's config store (started here or by `config.follow`).
  bindConfig(store, {
    version() {
      const following = [...configFollowersOf(config)];
      const unread = following.filter((f) => !f.read);
      if (unread.length > 0) return Promise.all(unread.map((f) => f.first));
      return following.length === 0 ? 0 : Math.min(...following.map((f) => f.follower.version ?? 0));
    },
    async stale(required) {
      const following = [...configFollowersOf(config)];
      if (following.length === 0) {
        throw new RedisConfigError(
          'stale',
          config.key,
          `a shard is on config version ${required} and this process follows no config: nothing was saved; run redis.start(service), or redis.config.follow(service) in a process that does not start`,
          required,
        );
      }
      for (const { follower } of following) {
        let cause: unknown;
        const now = await follower.refresh().catch((error: unknown) => ((cause = error), follower.version));
        if ((now ?? 0) < required) {
          throw new RedisConfigError(
            'stale',
            config.key,
            `a shard is on config version ${required}, and this process runs ${now ?? 'none'} and cannot take it up${cause instanceof Error ? ` (${cause.message})` : ''}: nothing was saved; publish a good config`,
            required,
            cause,
          );
        }
      }
    },
  });

  return {
    ports: { store, history, scheduler: timers.scheduler },
    store,
    history,
    changes,
    timers,
    config,
    start(service, startOptions = {}) {
      const configFollower = followConfig(service, startOptions.config);
      const started = {
        follower: changes.follow(service, startOptions.follow),
        timers: timers.run(service, startOptions.timers),
        ...(configFollower !== undefined ? { config: configFollower } : {}),
      };
      running.push(started);
      return started;
    },
    listen(service, listenOptions = {}) {
      const configFollower = followConfig(service, listenOptions.config);
      const started = {
        follower: changes.follow(service, { ...listenOptions.follow, readOnly: true }),
        ...(configFollower !== undefined ? { config: configFollower } : {}),
      };
      running.push(started);
      return started;
    },
    async stop() {
      const all = running.splice(0);
      await Promise.all(
        all.flatMap((r) => [r.follower.stop(), ...(r.timers === undefined ? [] : [r.timers.stop()]), ...(r.config === undefined ? [] : [r.config.stop()])]),
      );
    },
  };
}
