/**
 * Thrown by the Redis adapters when Redis could not be reached or could not answer (connection refused or lost,
 * the client offline or closed, a timeout, a server that is loading its data or failing over). It is always
 * worth retrying: `retryable` is `true`. For a save, the outcome is unknown (the script may have run before the
 * connection dropped): send the event again with the same `eventId` and the service applies it at most once (and,
 * when it was applied, delivers its change then). `dispatch` rejects with it as the store threw it; `cause` is the client's error.
 *
 * @category Errors
 * @example
 * ```ts
 * import { RedisUnavailableError } from 'agent-presence/redis';
 * const error = new RedisUnavailableError('EVALSHA', new Error('The client is offline'));
 * console.log(error.code, error.retryable, error.message); // REDIS_UNAVAILABLE true Redis unavailable (EVALSHA): The client is offline
 * ```
 */
export class RedisUnavailableError extends Error {
  /** A stable code to test for. */
  readonly code = 'REDIS_UNAVAILABLE' as const;
  /** Always true: the call may be tried again (with the same `eventId`, for a dispatch). */
  readonly retryable = true as const;
  /** The command that failed. */
  readonly command: string;

  /**
   * @param command - the command that failed
   * @param cause - the client's error
   */
  constructor(command: string, cause: unknown) {
    super(`Redis unavailable (${command}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'RedisUnavailableError';
    this.command = command;
  }
}
