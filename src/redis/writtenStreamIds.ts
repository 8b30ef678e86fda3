import type { RedisCommandClient } from './RedisCommandClient';
import { compareStreamIds } from './redisCommands';

const registry = new WeakMap<RedisCommandClient, Map<string, string>>();

/**
 * Per client, the newest stream entry each stream key got from this process's saves: the Redis store notes the id
 * its save script returns, and a follower over the same client checks that the entry is still there. An entry
 * this process wrote that is gone (and not trimmed) means Redis lost acknowledged writes, even ones no follower
 * read yet.
 *
 * @internal
 */
export function writtenStreamIds(client: RedisCommandClient): {
  note(stream: string, id: string): void;
  get(stream: string): string | undefined;
  forget(stream: string): void;
} {
  let ids = registry.get(client);
  if (ids === undefined) registry.set(client, (ids = new Map<string, string>()));
  const known = ids;
  return {
    note(stream, id) {
      const before = known.get(stream);
      if (before === undefined || compareStreamIds(id, before) > 0) known.set(stream, id);
    },
    get: (stream) => known.get(stream),
    forget: (stream) => void known.delete(stream),
  };
}
