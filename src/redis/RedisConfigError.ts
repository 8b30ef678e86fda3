/**
 * About the presence config kept in Redis (see `createRedisConfig`):
 *
 * - `unreadable`: the newest config in Redis cannot be used (not JSON, a config `createPresenceMachine` refuses —
 *   `cause` is its `PresenceConfigError`, naming each problem — or a version that is not a number). A follower tells
 *   `onError` and keeps the last good config;
 * - `conflict`: `publish` was given an `expectedVersion` and the config had moved on: read it again, publish on it;
 * - `stale`: a save was refused because the agent's shard is on a newer config version than this process, and the
 *   process could not take that version up (it is unreadable, or this process follows no config). Nothing was
 *   saved; the event can be sent again once the config is fixed.
 *
 * @category Errors
 * @example
 * ```ts
 * import { RedisConfigError } from 'agent-presence/redis';
 * const error = new RedisConfigError('conflict', 'presence:{config}:config', 'the config is at version 4, not 3: read it again and publish on top of it', 4);
 * console.log(error.code, error.reason, error.version); // REDIS_CONFIG conflict 4
 * ```
 */
export class RedisConfigError extends Error {
  /** A stable code to test for. */
  readonly code = 'REDIS_CONFIG' as const;
  /** What went wrong (see above). */
  readonly reason: 'unreadable' | 'conflict' | 'stale';
  /** The config's key (a stream: one entry per version). */
  readonly key: string;
  /** The config version concerned, when known. */
  readonly version: number | undefined;

  /**
   * @param reason - what went wrong
   * @param key - the config's key
   * @param problem - what to say about it
   * @param version - the version concerned
   * @param cause - the error behind it
   */
  constructor(reason: 'unreadable' | 'conflict' | 'stale', key: string, problem: string, version?: number, cause?: unknown) {
    super(`Redis presence config (${key}): ${problem}`, cause === undefined ? undefined : { cause });
    this.name = 'RedisConfigError';
    this.reason = reason;
    this.key = key;
    this.version = version;
  }
}
