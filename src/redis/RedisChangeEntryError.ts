/**
 * One change-stream entry a follower could not take in, as its `onError` is told: the shard, the entry id, the
 * agent (when the entry names one), at which step (`read`: the entry cannot be read by this release — corrupt
 * JSON, a refused state, a newer release's `schemaVersion`; `ingest`: the service refused it; `onEntry`: the
 * callback threw), the attempts made, and whether the follower moved past it (`skipped`) or will try it again.
 * `read` and `ingest` failures are skipped at once (reading again gives the same answer); an `onEntry` that
 * throws is tried again after `pollMs`, up to `onEntryAttempts` times, then skipped. `cause` is the error itself.
 *
 * @category Change stream
 * @example
 * ```ts
 * import { RedisChangeEntryError } from 'agent-presence/redis';
 * const error = new RedisChangeEntryError({ shard: 3, entryId: '1767225600000-0', agentId: 'agent-7', step: 'read', attempts: 1, skipped: true }, new Error('must be JSON'));
 * console.log(error.message); // change stream shard 3, entry 1767225600000-0 (agent "agent-7"): read failed, skipped: must be JSON
 * const onError = (e: unknown) => {
 *   if (e instanceof RedisChangeEntryError) console.warn(`presence entry ${e.entryId} of ${e.agentId ?? '?'} (shard ${e.shard}): ${e.step}`);
 * };
 * ```
 */
export class RedisChangeEntryError extends Error {
  /** A stable code to test for. */
  readonly code = 'CHANGE_ENTRY_FAILED' as const;
  readonly shard: number;
  readonly entryId: string;
  /** The agent the entry names, when it names one. */
  readonly agentId: string | undefined;
  readonly step: 'read' | 'ingest' | 'onEntry';
  /** How many times the entry was tried. */
  readonly attempts: number;
  /** True when the follower moved past the entry; false when it will try it again. */
  readonly skipped: boolean;

  /**
   * @param where - the entry, the step, the attempts and whether it was skipped
   * @param cause - what failed
   */
  constructor(
    where: {
      readonly shard: number;
      readonly entryId: string;
      readonly agentId?: string | undefined;
      readonly step: 'read' | 'ingest' | 'onEntry';
      readonly attempts: number;
      readonly skipped: boolean;
    },
    cause: unknown,
  ) {
    const agent = where.agentId === undefined ? '' : ` (agent ${JSON.stringify(where.agentId)})`;
    const outcome = where.skipped
      ? where.attempts > 1
        ? `skipped after ${where.attempts} attempts`
        : 'skipped'
      : `attempt ${where.attempts}, to be tried again`;
    super(
      `change stream shard ${where.shard}, entry ${where.entryId}${agent}: ${where.step} failed, ${outcome}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'RedisChangeEntryError';
    this.shard = where.shard;
    this.entryId = where.entryId;
    this.agentId = where.agentId;
    this.step = where.step;
    this.attempts = where.attempts;
    this.skipped = where.skipped;
  }
}
