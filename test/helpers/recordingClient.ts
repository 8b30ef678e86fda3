import type { RedisTestConnection } from './redisTarget';

/**
 * A client that passes every command, with its options, to `inner` and keeps it whole in `sent`, so a test can look
 * at the arguments of each command (see `countingClient` for counting names only). The wrapper hides what `inner`
 * is: over a Cluster, the store does not know it for one (as a wrapper of a user's own).
 */
export function recordingClient(inner: RedisTestConnection): { readonly client: RedisTestConnection; readonly sent: string[][] } {
  const sent: string[][] = [];
  const client = {
    sendCommand: (args: string[], options?: unknown) => {
      sent.push(args);
      return inner.sendCommand(args, options as never);
    },
  } as unknown as RedisTestConnection;
  return { client, sent };
}
