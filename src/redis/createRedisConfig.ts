import { createPresenceMachine, type PresenceConfig, type PresenceMachine } from '../core/index';
import { createNaps, nap } from './createNaps';
import { parseConfig } from '../schema/parseConfig';
import type { PresenceService } from '../service/index';
import { connectionToBlockOn } from './connectionToBlockOn';
import type { RedisCommandClient } from './RedisCommandClient';
import { RedisConfigError } from './RedisConfigError';
import { isWrongType, list, PLACE_SCRIPT, PUBLISH_CONFIG_SCRIPT, RAISE_CONFIG_SCRIPT, runScript, send, text, boundCommands } from './redisCommands';
import { RosterIndex } from '../service/RosterIndex';
import { restoreRecord } from '../service/index';
import { rosterArgs } from './createRedisPresenceStore';
import { resolveLayout } from './redisLayout';
import type { RedisPresenceOptions } from './RedisPresenceOptions';
import { RedisUnavailableError } from './RedisUnavailableError';

/** The longest config text read from Redis (4 MiB): a longer one is refused unread. */
const MAX_CONFIG_CHARS = 4 * 1024 * 1024;
/** How many versions the config stream keeps (about). */
const VERSIONS_KEPT = 100;

/** A config as a follower reads it from Redis: its JSON checked at the trust boundary, and a machine made of it. */
function configOfText(json: string): PresenceConfig {
  const config = parseConfig(JSON.parse(json) as unknown);
  createPresenceMachine(config); // what the followers will build: refused here, not in each of them
  return config;
}

/**
 * One version of the presence config kept in Redis.
 *
 * @category Config
 * @example
 * ```ts
 * import type { RedisConfigVersion } from 'agent-presence/redis';
 * const current: RedisConfigVersion = { version: 3, config: { defaultProfile: { capacity: 100 } } };
 * ```
 */
export interface RedisConfigVersion {
  /** 1 for the first config published, then one more per publish. */
  readonly version: number;
  /** The config, checked as `createPresenceMachine` checks it. */
  readonly config: PresenceConfig;
}

/**
 * Options of the config's `follow`.
 *
 * @category Config
 * @example
 * ```ts
 * import type { RedisConfigFollowOptions } from 'agent-presence/redis';
 * const options: RedisConfigFollowOptions = { onChange: ({ version }) => console.log('config version', version), onError: console.warn };
 * ```
 */
export interface RedisConfigFollowOptions {
  /**
   * The connection to block on (`XREAD BLOCK` on the config's stream): by default a `duplicate()` of the client,
   * made and closed by the follower; `null` to poll every `pollMs` (see `RedisFollowOptions.blockingClient`).
   */
  readonly blockingClient?: RedisCommandClient | null | undefined;
  /** The longest one block waits before the config is read anyway (default 5,000 ms). */
  readonly blockMs?: number | undefined;
  /** How long to wait after a failed read, or between reads when polling (default 1,000 ms). */
  readonly pollMs?: number | undefined;
  /** Called after the service took up a version (the first one found too). */
  readonly onChange?: ((current: RedisConfigVersion) => void) | undefined;
  /**
   * Told when the config cannot be read (Redis unavailable: read again after `pollMs`) and of a newest config that
   * cannot be used (a {@link RedisConfigError}, `unreadable`: the service keeps the last good one). Default
   * `console.error`.
   */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/**
 * A running config `follow`.
 *
 * @category Config
 * @example
 * ```ts
 * import type { RedisConfigFollower } from 'agent-presence/redis';
 * const describe = (follower: RedisConfigFollower) => `config version ${follower.version ?? 'none'}`;
 * ```
 */
export interface RedisConfigFollower {
  /** The version the service runs (undefined: none found in Redis yet; the service keeps the machine it was made with). */
  readonly version: number | undefined;
  /**
   * Reads the config now, and has the service take up a newer one.
   *
   * @returns the version the service runs afterwards
   * @throws {@link RedisConfigError} when the newest config cannot be used (the service keeps the last good one)
   */
  refresh(): Promise<number | undefined>;
  /**
   * @returns once the follower has stopped
   */
  stop(): Promise<void>;
}

/**
 * The presence config kept in Redis, one for every process of a deployment.
 *
 * @category Config
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisConfig, type RedisConfigStore } from 'agent-presence/redis';
 * const config: RedisConfigStore = createRedisConfig(createClient(), { keyPrefix: 'presence:' });
 * console.log(config.key); // presence:{config}:config
 * ```
 */
export interface RedisConfigStore {
  /** The config's key: a stream, one entry per version (the last 100 or so kept). */
  readonly key: string;
  /**
   * @returns the newest config, or undefined when none was published
   * @throws {@link RedisConfigError} (`unreadable`) when the newest cannot be used
   */
  read(): Promise<RedisConfigVersion | undefined>;
  /**
   * Checks a config (as `createPresenceMachine` does: nothing bad reaches Redis) and publishes it as the next
   * version; then raises every shard's config version, so that no process saves with an older config once this
   * resolves. The followers of every process take it up (`service.reconfigure`) as it is published.
   *
   * @param config - the new config
   * @param options - `expectedVersion`: publish only if the newest is still this version (0: none yet)
   * The version published is one more than the newest in the stream and than every shard's version (after the
   * config stream was deleted, the versions go on from there: the shards refuse anything older). Then every stored
   * agent is put where the new config places it in the roster that `findAvailable` reads (a capacity changed moves
   * agents; an agent saved since is left as its save placed it): a read and a script per agent, a few seconds at
   * 100,000 agents. Should Redis fail during that, publish rejects with the config published: publish it again.
   *
   * @returns the version published
   * @throws `PresenceConfigError` naming each problem of the config; {@link RedisConfigError} (`conflict`) when the
   *   newest is not `expectedVersion`; {@link RedisConfigError} (`unreadable`) for a config the followers would not
   *   read (more than 4 MiB as JSON): nothing is published
   */
  publish(config: PresenceConfig, options?: { readonly expectedVersion?: number | undefined }): Promise<RedisConfigVersion>;
  /**
   * Has a service run the newest config, now and as new ones are published (pushed: a blocking read on the config's
   * stream). A config that cannot be used is reported and the last good one kept. The saves of the store made
   * with it by `createRedisPresence` answer to its followers (`redis.start` and `redis.listen` run one; a process
   * that only dispatches calls `redis.config.follow(service)`).
   *
   * @param service - the service to reconfigure
   * @param options - connection and callbacks
   * @returns the running follower
   */
  follow(service: Pick<PresenceService, 'reconfigure'>, options?: RedisConfigFollowOptions): RedisConfigFollower;
}

/**
 * A running config follower, and whether its first read of the config is done.
 *
 * @internal
 */
export interface ActiveConfigFollower {
  readonly follower: RedisConfigFollower;
  /** Settles when the first read is done (taken up, found none, or failed). */
  readonly first: Promise<unknown>;
  readonly read: boolean;
}

const activeFollowers = new WeakMap<RedisConfigStore, Set<ActiveConfigFollower>>();

/**
 * The followers a config store runs now (from `follow` to `stop`): the saves of a Redis store of the same process
 * answer to them (see `createRedisPresence`).
 *
 * @internal
 */
export function configFollowersOf(config: RedisConfigStore): ReadonlySet<ActiveConfigFollower> {
  return activeFollowers.get(config) ?? new Set();
}

/**
 * The presence config kept in Redis (`P{config}:config`, a stream: one entry per version), so that every process
 * of a deployment runs the same one: `publish` a config from any process (an admin tool, say), and every process's
 * follower — `createRedisPresence`'s `start` and `listen` run one — has its service take it up within a round trip.
 *
 * No process keeps saving with an older config: each save carries the config version its record was made with,
 * and the save script refuses one older than the newest its shard has seen (a shard's version is raised by
 * `publish` and by any save with a newer one). A refused process reads the config, takes it up, and makes the
 * record again with it (a conflict for the service: it reloads and applies the event again) — see
 * `createRedisPresence`.
 *
 * What is read from Redis is checked at the trust boundary (`parseConfig`, the core's rules): a config that
 * cannot be used is reported and the last good one kept.
 *
 * @param client - a connected client
 * @param options - the same key prefix and shards as the store
 * @returns the config store
 * @throws TypeError naming each bad option
 * @category Config
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisConfig } from 'agent-presence/redis';
 * const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }); // await client.connect() before use
 * const config = createRedisConfig(client, { keyPrefix: 'presence:' });
 * // Once connected: await config.publish({ defaultProfile: { capacity: 100 } }, { expectedVersion: 0 });
 * ```
 */
export function createRedisConfig(client: RedisCommandClient, options?: RedisPresenceOptions): RedisConfigStore {
  if (typeof client?.sendCommand !== 'function') {
    throw new TypeError('createRedisConfig: client must have a sendCommand method (a node-redis client)');
  }
  const layout = resolveLayout('createRedisConfig', options);
  boundCommands(client, layout.commandTimeoutMs);
  const key = layout.configKey();

  /** The newest entry: its id, and its version and config, or the error that makes it unusable. */
  const newest = async (): Promise<{ id: string; current?: RedisConfigVersion; error?: RedisConfigError } | undefined> => {
    let reply;
    try {
      reply = await send(client, ['XREVRANGE', key, '+', '-', 'COUNT', '1']);
    } catch (error) {
      if (!isWrongType(error)) throw error;
      return {
        id: '0-0',
        error: new RedisConfigError('unreadable', key, 'its key holds another type than a stream: rename or delete it, and publish again', undefined, error),
      };
    }
    const [entry] = list(reply);
    if (entry === undefined) return undefined;
    const [rawId, rawFields] = list(entry);
    const id = text(rawId) as string;
    const fields = list(rawFields).map(text);
    let version: number | undefined;
    let json: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'version') version = /^[1-9]\d{0,14}$/.test(fields[i + 1] ?? '') ? Number(fields[i + 1]) : undefined;
      if (fields[i] === 'config') json = fields[i + 1];
    }
    const unreadable = (problem: string, cause?: unknown) => ({
      id,
      error: new RedisConfigError('unreadable', key, `entry ${id}: ${problem}; the last good config is kept`, version, cause),
    });
    if (version === undefined) return unreadable('its version (field version) must be a whole number ≥ 1');
    if (json === undefined) return unreadable('it holds no config (field config)');
    if (json.length > MAX_CONFIG_CHARS) return unreadable(`its config is ${json.length} characters, more than ${MAX_CONFIG_CHARS}`);
    try {
      return { id, current: { version, config: configOfText(json) } };
    } catch (cause) {
      return unreadable(`version ${version} cannot be used (${cause instanceof Error ? cause.message : String(cause)})`, cause);
    }
  };

  /** The highest config version a shard is on (0: none), as the save script reads it. */
  const highestShardVersion = async (): Promise<number> => {
    const versions = await Promise.all(
      Array.from({ length: layout.shards }, async (_, shard) => {
        const value = text(
          await send(client, ['GET', layout.configVersionKey(shard)]).catch((error: unknown) => (isWrongType(error) ? undefined : Promise.reject(error))),
        );
        return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : 0;
      }),
    );
    return Math.max(0, ...versions);
  };

  /**
   * Puts every stored agent where the machine places it in its shard's roster (the roster the saves keep, for
   * `findAvailable`): its places were measured with the config before (a capacity raised would leave agents with
   * room unoffered until their next save). A record saved since is left as its save placed it; an unreadable one is
   * passed over (reported where it is loaded).
   */
  const placeEveryAgent = async (machine: PresenceMachine): Promise<void> => {
    const roster = new RosterIndex(machine);
    for (let shard = 0; shard < layout.shards; shard++) {
      const rosterKey = layout.rosterKey(shard);
      let cursor = '0';
      do {
        const [next, members] = list(await send(client, ['SSCAN', layout.agentsKey(shard), cursor, 'COUNT', '500']));
        cursor = text(next) ?? '0';
        await Promise.all(
          list(members).map(async (member) => {
            const agentId = text(member) as string;
            if (layout.shardOf(agentId) !== shard) return;
            const recordKey = layout.recordKey(agentId);
            const [v, r] = list(
              await send(client, ['HMGET', recordKey, 'v', 'r']).catch((error: unknown) => (isWrongType(error) ? [] : Promise.reject(error))),
            ).map(text);
            if (v === undefined || r === undefined) return;
            let placement;
            try {
              const { state, routing } = restoreRecord(r);
              if (state.agentId !== agentId) return;
              placement = roster.placementOf(state, routing);
            } catch {
              return;
            }
            // A roster key of another type fails this agent's saves too, which name it: passed over here.
            await runScript(client, PLACE_SCRIPT, [recordKey, rosterKey, `${rosterKey}:buckets`], [v, agentId, ...rosterArgs(agentId, placement)]).catch(
              (error: unknown) => (isWrongType(error) ? undefined : Promise.reject(error)),
            );
          }),
        );
      } while (cursor !== '0');
    }
  };

  const checkWhole = (caller: string, name: string, value: number, min: number) => {
    if (!(Number.isInteger(value) && value >= min)) throw new TypeError(`${caller}: ${name} must be a whole number ≥ ${min} (got ${String(value)})`);
  };

  const active = new Set<ActiveConfigFollower>();
  const configStore: RedisConfigStore = {
    key,

    async read() {
      const found = await newest();
      if (found?.error !== undefined) throw found.error;
      return found?.current;
    },

    async publish(config, publishOptions = {}) {
      const expected = publishOptions.expectedVersion;
      if (expected !== undefined) checkWhole('publish', 'expectedVersion', expected, 0);
      const plain = createPresenceMachine(config).config; // throws PresenceConfigError naming each problem
      const json = JSON.stringify(plain);
      // Once published, the shards refuse every save with an older config: only a config every follower can read goes out.
      if (json.length > MAX_CONFIG_CHARS) {
        throw new RedisConfigError(
          'unreadable',
          key,
          `the config is ${json.length} characters as JSON, more than the ${MAX_CONFIG_CHARS} a follower reads: nothing was published; make it smaller (per-agent profiles: group agents under capacityProfiles or a shared default)`,
        );
      }
      configOfText(json);
      const floor = await highestShardVersion();
      const [done, version] = list(
        await runScript(client, PUBLISH_CONFIG_SCRIPT, [key], [expected === undefined ? '' : String(expected), json, String(VERSIONS_KEPT), String(floor)]),
      ).map(Number);
      if (done !== 1) {
        throw new RedisConfigError('conflict', key, `the config is at version ${version}, not ${expected}: read it again and publish on top of it`, version);
      }
      await Promise.all(
        Array.from({ length: layout.shards }, (_, shard) => runScript(client, RAISE_CONFIG_SCRIPT, [layout.configVersionKey(shard)], [String(version)])),
      );
      await placeEveryAgent(createPresenceMachine(plain));
      return { version: version as number, config: plain };
    },

    follow(service, followOptions = {}) {
      if (typeof service?.reconfigure !== 'function') throw new TypeError('follow: service must be a presence service (with reconfigure)');
      const pollMs = followOptions.pollMs ?? 1_000;
      const blockMs = followOptions.blockMs ?? 5_000;
      checkWhole('follow', 'pollMs', pollMs, 1);
      checkWhole('follow', 'blockMs', blockMs, 1);
      const given = followOptions.blockingClient;
      if (given === client) throw new TypeError('follow: blockingClient must not be the client the config is read with');
      const onError = followOptions.onError ?? ((error: unknown) => console.error('agent-presence redis config:', error));
      const tell = (error: unknown) => {
        try {
          onError(error);
        } catch {
          // onError itself failed: nothing more can be done about it here
        }
      };
      let version: number | undefined;
      /** The id of the newest entry read ('0-0' none): the blocking read waits for one after it. */
      let seen = '0-0';
      /** The unusable entry last told (told once). */
      let toldBad: string | undefined;
      let stopped = false;

      const adopt = (current: RedisConfigVersion) => {
        const machine: PresenceMachine = createPresenceMachine(current.config);
        service.reconfigure(machine);
        version = current.version;
        followOptions.onChange?.(current);
      };

      /** One read of the config; reads in flight are shared. */
      let reading: Promise<number | undefined> | undefined;
      const refresh = (): Promise<number | undefined> =>
        (reading ??= (async () => {
          try {
            const found = await newest();
            if (found === undefined) return version;
            seen = found.id;
            if (found.error !== undefined) {
              if (toldBad !== found.id) tell(found.error);
              toldBad = found.id;
              throw found.error;
            }
            toldBad = undefined;
            if (found.current !== undefined && found.current.version !== version) adopt(found.current);
            return version;
          } finally {
            reading = undefined;
          }
        })());

      const blocking = connectionToBlockOn(client, given, tell);
      let wakeUp: (() => void) | undefined;
      /** The waits under way: each ends at once at `stop` (its timer cleared, so a stopped loop keeps no process alive). */
      const { pause, wakeAll } = createNaps();
      let pending: Promise<unknown> | undefined;
      const entry: { follower?: RedisConfigFollower; first: Promise<unknown>; read: boolean } = { first: Promise.resolve(), read: false };
      const first = refresh()
        .catch(() => undefined)
        .finally(() => (entry.read = true));
      entry.first = first;

      const loop = (async () => {
        await first;
        while (!stopped) {
          const woken = new Promise<void>((resolve) => (wakeUp = resolve));
          const connection = await blocking.get();
          if (stopped) break;
          if (connection === undefined) {
            await nap(pollMs, woken);
          } else {
            const started = send(connection, ['XREAD', 'COUNT', '1', 'BLOCK', String(blockMs), 'STREAMS', key, seen]).catch(async (error: unknown) => {
              if (stopped) return;
              tell(error);
              await pause(pollMs);
            });
            pending = started;
            await Promise.race([started, woken]);
          }
          if (stopped) break;
          try {
            await refresh();
          } catch (error) {
            if (error instanceof RedisUnavailableError) {
              tell(error);
              await pause(pollMs);
            }
            // An unusable config was told once; the last good one is kept.
          }
        }
      })();

      const follower: RedisConfigFollower = {
        get version() {
          return version;
        },
        async refresh() {
          await first;
          return refresh();
        },
        async stop() {
          stopped = true;
          active.delete(entry as ActiveConfigFollower);
          wakeUp?.();
          wakeAll();
          await loop;
          await blocking.close(client, pending);
        },
      };
      entry.follower = follower;
      active.add(entry as ActiveConfigFollower);
      return follower;
    },
  };
  activeFollowers.set(configStore, active);
  return configStore;
}
