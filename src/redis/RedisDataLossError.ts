import type { StoreGeneration } from '../service/index';

/**
 * Told to a change-stream follower's `onError` when Redis lost data of a shard that this process had read or
 * written: the shard's generation changed (Redis restarted without its data, `FLUSHALL`, the keys were deleted), or
 * a stream entry this process read or saved is gone though it was not trimmed (a failover to a replica that missed
 * the last writes, a restart from an older snapshot; the follower then gives the shard a new generation, so that
 * every process sees the loss). The follower has already resynchronised its service (`service.resync()`: the
 * roster reloaded from the store, the listeners' bookkeeping dropped) and goes on from the shard's surviving entries.
 * Saves acknowledged before the loss may be gone: their senders must send them again (their event ids are lost
 * with the records, so they apply again).
 *
 * @category Errors
 * @example
 * ```ts
 * import { RedisDataLossError } from 'agent-presence/redis';
 * const error = new RedisDataLossError(0, 'presence:{0}:changes', 'generation', '001767225600000-9f3a61c2', '');
 * console.log(error.code, error.shard, error.reason); // REDIS_DATA_LOSS 0 generation
 * console.log(error.message); // Redis lost data of shard 0 (presence:{0}:changes): its generation changed from 001767225600000-9f3a61c2 to none; the service was resynchronised from the store
 * ```
 */
export class RedisDataLossError extends Error {
  /** A stable code to test for. */
  readonly code = 'REDIS_DATA_LOSS' as const;
  /** The shard whose data was lost. */
  readonly shard: number;
  /** The shard's stream key. */
  readonly stream: string;
  /** How the loss was seen: the shard's generation changed, or an entry read or written is gone. */
  readonly reason: 'generation' | 'missing-entry';
  /** The generation the follower held ('' none). */
  readonly before: StoreGeneration;
  /** The shard's generation now ('' none yet: the next save makes one). */
  readonly after: StoreGeneration;

  /**
   * @param shard - the shard
   * @param stream - its stream key
   * @param reason - how the loss was seen
   * @param before - the generation held before
   * @param after - the shard's generation now
   */
  constructor(shard: number, stream: string, reason: 'generation' | 'missing-entry', before: StoreGeneration, after: StoreGeneration) {
    const how =
      reason === 'generation'
        ? `its generation changed from ${before || 'none'} to ${after || 'none'}`
        : `entries this process read or wrote are gone (new generation ${after || 'none'})`;
    super(`Redis lost data of shard ${shard} (${stream}): ${how}; the service was resynchronised from the store`);
    this.name = 'RedisDataLossError';
    this.shard = shard;
    this.stream = stream;
    this.reason = reason;
    this.before = before;
    this.after = after;
  }
}
