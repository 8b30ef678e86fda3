import type { RedisCommandClient } from '../../src/redis/index';

/**
 * A client that passes every command to `inner` and notes its name, so a test can count the round trips an
 * operation takes: `during(run)` gives the commands sent while `run` ran, and what it returned.
 */
export function countingClient(inner: RedisCommandClient): {
  readonly client: RedisCommandClient;
  readonly during: <T>(run: () => Promise<T>) => Promise<{ sent: string[]; result: T }>;
} {
  const sent: string[] = [];
  return {
    client: {
      sendCommand: (args) => {
        sent.push(args[0]!);
        return inner.sendCommand(args);
      },
    },
    during: async (run) => {
      sent.length = 0;
      const result = await run();
      return { sent: sent.splice(0), result };
    },
  };
}
