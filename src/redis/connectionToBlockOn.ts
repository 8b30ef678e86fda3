import type { RedisCommandClient } from './RedisCommandClient';
import { send, text } from './redisCommands';

/** What the follower needs of a client it may copy: node-redis's `duplicate()`, `connect()` and `destroy()`. */
interface Duplicable extends RedisCommandClient {
  duplicate(): Duplicable;
  connect(): Promise<unknown>;
  destroy?(): void;
  close?(): Promise<void>;
  on?(event: 'error', listener: (error: unknown) => void): unknown;
}

const canDuplicate = (client: RedisCommandClient): client is Duplicable => typeof (client as Partial<Duplicable>).duplicate === 'function';

/**
 * The connection a follower blocks on (`XREAD BLOCK`), never the shared client it reads with: the one given, or a
 * `duplicate()` of the shared client (made on first use, connected, destroyed at `close`), or none (`null` given,
 * or a client that cannot be duplicated): the follower then polls.
 *
 * @internal
 */
export function connectionToBlockOn(
  client: RedisCommandClient,
  given: RedisCommandClient | null | undefined,
  tell: (error: unknown) => void,
): {
  /** The connection to block on, connected; undefined to poll this time. */
  get(): Promise<RedisCommandClient | undefined>;
  /** Ends a block in flight and lets go of the connection (a given one is left open). */
  close(client: RedisCommandClient, pending: Promise<unknown> | undefined): Promise<void>;
} {
  let owned: Duplicable | undefined;
  let connecting: Promise<RedisCommandClient | undefined> | undefined;
  /** The given connection's `CLIENT ID`, to end its block at `close` (undefined: not known). */
  let givenId: Promise<string | undefined> | undefined;

  const own = async (): Promise<RedisCommandClient | undefined> => {
    if (!canDuplicate(client)) return undefined;
    const copy = client.duplicate();
    copy.on?.('error', () => {}); // its failures reach the follower as failed reads, told there
    try {
      await copy.connect();
      owned = copy;
      return copy;
    } catch (error) {
      tell(
        new Error(`change stream: could not open a connection to block on (polling meanwhile): ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        }),
      );
      copy.destroy?.();
      connecting = undefined; // tried again at the next wait
      return undefined;
    }
  };

  return {
    async get() {
      if (given === null) return undefined;
      if (given !== undefined) {
        givenId ??= send(given, ['CLIENT', 'ID']).then(text, () => undefined);
        await givenId;
        return given;
      }
      connecting ??= own();
      return connecting;
    },
    async close(shared, pending) {
      if (given !== undefined && given !== null) {
        const id = await givenId;
        if (pending !== undefined && id !== undefined) await send(shared, ['CLIENT', 'UNBLOCK', id]).catch(() => undefined);
      } else {
        await connecting;
        const copy = owned;
        owned = undefined;
        connecting = undefined;
        if (copy !== undefined) {
          if (typeof copy.destroy === 'function') copy.destroy();
          else await copy.close?.().catch(() => undefined);
        }
      }
      await pending?.catch(() => undefined);
    },
  };
}
