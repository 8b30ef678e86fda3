import { fieldRules, type PresenceState } from '../core/index';
import { createNaps, nap } from './createNaps';
import { describeValue } from '../core/internal';
import { restore } from '../schema/snapshot';
import type { PresenceChange, PresenceService, StoreGeneration } from '../service/index';
import { checkCommandClient } from './clusterCommandClient';
import type { RedisCommandClient } from './RedisCommandClient';
import { RedisChangeEntryError } from './RedisChangeEntryError';
import { RedisDataLossError } from './RedisDataLossError';
import {
  compareStreamIds,
  isWrongType,
  generationSeed,
  isGeneration,
  list,
  READ_SCRIPT,
  ROTATE_SCRIPT,
  runReadOnlyScript,
  runScript,
  send,
  text,
  TRIM_BY_AGE_SCRIPT,
  boundCommands,
} from './redisCommands';
import { resolveLayout } from './redisLayout';
import type { RedisPresenceOptions } from './RedisPresenceOptions';
import { RedisUnavailableError } from './RedisUnavailableError';
import { writtenStreamIds } from './writtenStreamIds';
import { connectionToBlockOn } from './connectionToBlockOn';

/**
 * One entry of the change stream: one save of one agent. `(agentId, generation, version)` identifies it: a reader
 * that may see an entry twice (it resumed from an older position) drops repeats by it.
 *
 * @category Change stream
 * @example
 * ```ts
 * import type { RedisChangeEntry } from 'agent-presence/redis';
 * const describe = (e: RedisChangeEntry) =>
 *   `${e.id} ${e.agentId} v${e.version}${e.change ? `: ${e.change.from.text} → ${e.change.to.text}` : ''}`;
 * ```
 */
export interface RedisChangeEntry {
  /** The stream entry id (`<ms>-<seq>`), within its shard's stream. */
  readonly id: string;
  readonly shard: number;
  readonly agentId: string;
  /** The version the save stored. */
  readonly version: number;
  /** The shard's generation when it was saved (absent in entries written before generations). */
  readonly generation?: StoreGeneration;
  /**
   * The saved state (checked by the schema module's `restore`); absent for a quiet save (field `quiet`: a heartbeat,
   * say), which changed no presence and nothing routing reads, so the entry leaves out the state.
   */
  readonly state?: PresenceState;
  /** The `eventId` of the event applied, when it had one. */
  readonly eventId?: string;
  /** The presence change the save made, when it made one. */
  readonly change?: PresenceChange;
}

/**
 * Where a reader of the change stream is: per shard, the id of the last entry read. `'$'` means "from now on"
 * (what is appended after the call), `'0'` "from the oldest entry kept".
 *
 * @category Change stream
 * @example
 * ```ts
 * import type { RedisStreamPosition } from 'agent-presence/redis';
 * const fromNow: RedisStreamPosition = '$';
 * const resumed: RedisStreamPosition = ['1767225600000-0', '1767225600003-1']; // a follower's position, two shards
 * ```
 */
export type RedisStreamPosition = '$' | '0' | readonly string[];

/**
 * What `read` returns: the entries, oldest first per shard, the ones this release cannot read, and the position
 * after them all.
 *
 * @category Change stream
 * @example
 * ```ts
 * import type { RedisChangeBatch } from 'agent-presence/redis';
 * const summary = (batch: RedisChangeBatch) => `${batch.entries.length} entries${batch.gap ? ' (some were trimmed before they were read)' : ''}`;
 * ```
 */
export interface RedisChangeBatch {
  readonly entries: readonly RedisChangeEntry[];
  /**
   * The entries that cannot be read (corrupt JSON, a state `restore` refuses, a newer release's `schemaVersion`),
   * each with its shard, id and agent; left out of `entries`, and passed by `position`.
   */
  readonly unreadable: readonly RedisChangeEntryError[];
  /** Per shard, the last entry id read (pass it back as `from`). */
  readonly position: readonly string[];
  /** True when entries after the position given were trimmed (`maxLen`) before they were read. */
  readonly gap: boolean;
}

/**
 * Options of `follow`.
 *
 * @category Change stream
 * @example
 * ```ts
 * import type { RedisFollowOptions } from 'agent-presence/redis';
 * const options: RedisFollowOptions = { from: '$', pollMs: 20, onError: (error) => console.warn('presence stream:', error) };
 * ```
 */
export interface RedisFollowOptions {
  /** Where to start (default `'$'`: what is saved from now on; the roster loads the rest from the store). */
  readonly from?: RedisStreamPosition | undefined;
  /**
   * How long to wait before trying again after a failed read or a throwing `onEntry` (default 50 ms); also how
   * often an idle follower reads when it has no connection to block on (`blockingClient: null`, or a client
   * without `duplicate()`).
   */
  readonly pollMs?: number | undefined;
  /**
   * The connection an idle follower blocks on (`XREAD BLOCK` on every shard's stream): a change saved by any
   * process wakes it at once, with no polling. A blocking command holds its connection, so it is never the
   * client the stream was made with (which may be shared). By default the follower makes one with that client's
   * `duplicate()` (node-redis), connects it, and closes it at `stop`. Give a connected client of its own here
   * (it is left open at `stop`, its block ended with `CLIENT UNBLOCK`), or `null` to poll every `pollMs` instead
   * (as a client without `duplicate()`, an ioredis wrapper say, does).
   */
  readonly blockingClient?: RedisCommandClient | null | undefined;
  /**
   * The longest one `XREAD BLOCK` waits (default 1,000 ms): then the follower reads every shard anyway, which is
   * how an idle follower finds a data loss that no save followed (a flushed shard).
   */
  readonly blockMs?: number | undefined;
  /**
   * For a process that only listens (a supervisor board, see `RedisPresence.listen`): the follower then writes
   * nothing at all — its reads run as read-only scripts (`EVALSHA_RO`), and after a data loss it resynchronises
   * its service without giving the shard a new generation (the writing processes do). Default false.
   */
  readonly readOnly?: boolean | undefined;
  /** Entries read per shard and call (default 500). */
  readonly batch?: number | undefined;
  /**
   * Called with each entry after the service took it in, e.g. to relay changes to browsers. When it throws, the
   * follower tells `onError` and calls it again with the same entry after `pollMs` (the shard waits; the others go
   * on), up to `onEntryAttempts` times, then moves on.
   */
  readonly onEntry?: ((entry: RedisChangeEntry) => void) | undefined;
  /** How many times `onEntry` is called with one entry while it throws, before the entry is skipped (default 3). */
  readonly onEntryAttempts?: number | undefined;
  /**
   * Told when a read fails (Redis unavailable: the follower tries again after `pollMs`), of each entry it could
   * not take in, as a {@link RedisChangeEntryError} (shard, entry id, agent, step, attempts, skipped), and with a
   * {@link RedisDataLossError} when it found a shard's data lost (the service was resynchronised). Default
   * `console.error`.
   */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/**
 * A running `follow`: where it is, a way to wait until it has read everything saved so far, and a way to stop.
 *
 * @category Change stream
 * @example
 * ```ts
 * import type { RedisFollower } from 'agent-presence/redis';
 * async function shutdown(follower: RedisFollower) {
 *   await follower.stop();
 *   console.log('resume from', follower.position);
 * }
 * ```
 */
export interface RedisFollower {
  /** Per shard, the id of the last entry taken in (or reported and passed): persist it to resume from there. */
  readonly position: readonly string[];
  /**
   * @returns once the follower has taken in (or reported and passed) every entry saved before the call, in every
   *   shard it can read
   */
  caughtUp(): Promise<void>;
  /**
   * @returns once the follower has stopped (after the read in progress)
   */
  stop(): Promise<void>;
}

/**
 * The change stream, read side: every save of every agent, in each agent's version order.
 *
 * @category Change stream
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisChangeStream, type RedisChangeStream } from 'agent-presence/redis';
 * const changes: RedisChangeStream = createRedisChangeStream(createClient(), { keyPrefix: 'presence:' });
 * console.log(changes.streams); // [ 'presence:{0}:changes' ]
 * ```
 */
export interface RedisChangeStream {
  /** The stream key of each shard. */
  readonly streams: readonly string[];
  /**
   * Reads the entries after a position.
   *
   * @param options - `from` (default `'0'`) and at most `count` entries per shard (default 500)
   * @returns the entries and the position after them
   */
  read(options?: { readonly from?: RedisStreamPosition | undefined; readonly count?: number | undefined }): Promise<RedisChangeBatch>;
  /**
   * Feeds every save of other processes into a service (`service.ingest`) until stopped: its roster index and
   * its `subscribe` listeners converge on what every process saved. When entries were trimmed before the
   * follower read them (it fell more than `maxLen` behind), the roster is rebuilt from the store
   * (`service.rebuildRoster()`); the listeners miss those changes.
   *
   * One bad entry never stops it: an entry this release cannot read, or that the service refuses, is reported to
   * `onError` as a {@link RedisChangeEntryError} and passed; the follower then reloads that agent from the store
   * (`service.get`, when the service has it), which refreshes its roster entry or, for a record that cannot be
   * read either, has the service report and set the agent aside (`unreadableAgents()`). A shard whose stream
   * cannot be read at all (its key of another type) is reported once and passed over; the other shards go on.
   *
   * Data loss: on every read of a shard the follower also checks the shard's generation and that the newest entry
   * it read or this process saved (through a Redis store on the same client) is still there. When the generation
   * changed or such an entry is gone without being trimmed, Redis lost data: the follower gives the shard a new
   * generation when it kept its old one, calls `service.resync()` (`rebuildRoster()` for a service without it),
   * tells `onError` (a {@link RedisDataLossError}) and reads on from the shard's newest surviving entry at or
   * before its position (from the start of a stream that was lost whole). So a loss is seen within one read of
   * the shards after it (at the next save, which wakes the follower, or within `blockMs` when idle), by every
   * following process.
   *
   * Push, not poll: an idle follower blocks on every shard's stream at once (`XREAD BLOCK`, see `blockingClient`),
   * so a save of any process wakes it; it then reads the shards with every check above. A writing follower also
   * trims the streams by age when the options set `maxAgeMs`.
   *
   * @param service - the service to feed
   * @param options - where to start, polling, and callbacks
   * @returns the running follower
   */
  follow(
    service: Pick<PresenceService, 'ingest' | 'rebuildRoster'> & Partial<Pick<PresenceService, 'get' | 'resync'>>,
    options?: RedisFollowOptions,
  ): RedisFollower;
}

/** Reads a stream entry's fields (a flat list of names and values); an entry that cannot be read is an error naming it. */
function parseEntry(shard: number, raw: unknown): RedisChangeEntry | RedisChangeEntryError {
  const [rawId, rawFields] = list(raw);
  const fields = list(rawFields).map(text);
  const value: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  for (let i = 0; i + 1 < fields.length; i += 2) value[fields[i] as string] = fields[i + 1];
  const id = text(rawId) as string;
  // An agent that is not an id (written by hand) is named by its problem only, and not reloaded.
  const agentId = fieldRules.id(value.agent) === undefined ? value.agent : undefined;
  try {
    if (value.agent === undefined) throw new Error('the entry names no agent (field agent)');
    if (agentId === undefined) throw new Error(`its agent (field agent) ${fieldRules.id(value.agent)}`);
    const version = Number(value.version);
    if (!(Number.isSafeInteger(version) && version >= 1)) {
      throw new Error(`its version (field version) must be a whole number ≥ 1 (got ${value.version === undefined ? 'none' : describeValue(value.version)})`);
    }
    // A generation this store never makes (written by hand) is ignored: the entry then compares by version.
    const generation = isGeneration(value.generation) ? value.generation : undefined;
    const eventId = value.event;
    const change = value.change === undefined ? undefined : (JSON.parse(value.change) as PresenceChange);
    return {
      id,
      shard,
      agentId,
      version,
      ...(generation !== undefined ? { generation } : {}),
      ...(value.quiet !== undefined && value.state === undefined ? {} : { state: restore(value.state) }),
      ...(eventId !== undefined ? { eventId } : {}),
      ...(change !== undefined ? { change } : {}),
    };
  } catch (cause) {
    return new RedisChangeEntryError({ shard, entryId: id, agentId, step: 'read', attempts: 1, skipped: true }, cause);
  }
}

const idOf = (item: RedisChangeEntry | RedisChangeEntryError): string => (item instanceof RedisChangeEntryError ? item.entryId : item.id);

/**
 * The read side of the change stream the Redis store writes: each save of each agent is one entry of its shard's
 * stream (`XADD … MAXLEN ~ maxLen`, written by the store's save script, in the same atomic step as the record).
 * An entry holds the agent id, the version saved, the saved state, the event id, and the presence change when
 * the save made one. Per agent, entries are in version order and none is missing (until trimmed).
 *
 * Delivery is at least once: a reader resumes from the position it persisted, and may see an entry again after
 * a crash; it drops repeats by `(agentId, generation, version)` (or by the change's `eventId`). After Redis lost
 * data, versions start again lower in a new generation (see `follow`).
 *
 * The stream is written by the store, so no publisher port is needed for it; the service's `publisher` can stay
 * the default or feed another transport.
 *
 * @param client - a connected client
 * @param options - the same key prefix and shards as the store
 * @returns the stream's reader
 * @throws TypeError naming each bad option
 * @category Change stream
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService } from 'agent-presence/service';
 * import { createRedisChangeStream, createRedisPresenceStore } from 'agent-presence/redis';
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }); // await client.connect() before use
 * const options = { keyPrefix: 'presence:' };
 * const service = createPresenceService({ machine: createPresenceMachine({}), store: createRedisPresenceStore(client, options) });
 * const changes = createRedisChangeStream(client, options);
 * // Once connected: const follower = changes.follow(service); … await follower.stop();
 * ```
 */
export function createRedisChangeStream(client: RedisCommandClient, options?: RedisPresenceOptions): RedisChangeStream {
  checkCommandClient('createRedisChangeStream', client);
  const layout = resolveLayout('createRedisChangeStream', options);
  boundCommands(client, layout.commandTimeoutMs);
  const streams = Array.from({ length: layout.shards }, (_, shard) => layout.streamKey(shard));
  const written = writtenStreamIds(client);

  /**
   * The id of a stream's last entry at or before `end` (`'+'`: its newest); `0-0` when it has none, or when the key
   * holds another type (its shard is reported as unreadable when read).
   */
  const lastEntryAtOrBefore = async (stream: string, end: string): Promise<string> => {
    let reply;
    try {
      reply = await send(client, ['XREVRANGE', stream, end, '-', 'COUNT', '1']);
    } catch (error) {
      if (isWrongType(error)) return '0-0';
      throw error;
    }
    const [last] = list(reply);
    return last === undefined ? '0-0' : (text(list(last)[0]) as string);
  };

  /** The position of a shard's newest entry (`'$'`). */
  const newest = (stream: string): Promise<string> => lastEntryAtOrBefore(stream, '+');

  const checkFrom = (caller: string, from: RedisStreamPosition): void => {
    if (from === '$' || from === '0') return;
    if (!Array.isArray(from) || from.length !== layout.shards || !from.every((id) => typeof id === 'string' && /^\d+-\d+$/.test(id))) {
      throw new TypeError(`${caller}: from must be '$', '0' or one stream id (<ms>-<seq>) per shard, ${layout.shards} in all (got ${JSON.stringify(from)})`);
    }
  };

  const resolvePosition = async (from: RedisStreamPosition): Promise<string[]> => {
    if (from === '$') return Promise.all(streams.map(newest));
    if (from === '0') return streams.map(() => '0-0');
    return [...from];
  };

  /** Reads a shard after `after`; also its generation, and whether the `probe` entry was lost (see READ_SCRIPT). */
  const readShard = async (shard: number, after: string, count: number, probe = '0-0', caughtUpAdded = '') => {
    const [first, trimmed, raw, generation, lost, otherType, added, last] = list(
      await runReadOnlyScript(client, READ_SCRIPT, [streams[shard] as string, layout.generationKey(shard)], [after, String(count), probe, caughtUpAdded]),
    );
    const items = list(raw).map((entry) => parseEntry(shard, entry));
    // Entries after `after` were trimmed unread when the oldest kept is newer than `after` (and some were trimmed).
    const gap = Number(trimmed) === 1 && compareStreamIds(text(first) as string, after) > 0;
    /** The type of the stream key, when it holds another one than a stream. */
    const wrongType = text(otherType);
    return {
      items,
      gap,
      generation: text(generation) ?? '',
      lost: Number(lost) === 1,
      /** The entries ever added to the stream, and its last generated id ('0-0': no stream). */
      added: Number(added ?? 0),
      last: text(last) ?? '0-0',
      ...(wrongType !== undefined ? { wrongType } : {}),
    };
  };

  const checkCount = (caller: string, name: string, value: number) => {
    if (!(Number.isInteger(value) && value >= 1)) throw new TypeError(`${caller}: ${name} must be a whole number ≥ 1 (got ${String(value)})`);
  };

  return {
    streams,

    async read(readOptions = {}) {
      const count = readOptions.count ?? 500;
      checkCount('read', 'count', count);
      checkFrom('read', readOptions.from ?? '0');
      const position = await resolvePosition(readOptions.from ?? '0');
      const entries: RedisChangeEntry[] = [];
      const unreadable: RedisChangeEntryError[] = [];
      let gap = false;
      for (let shard = 0; shard < layout.shards; shard++) {
        const read = await readShard(shard, position[shard] as string, count);
        if (read.wrongType !== undefined) throw new Error(`WRONGTYPE change stream shard ${shard} (${streams[shard]}) holds a ${read.wrongType}, not a stream`);
        gap ||= read.gap;
        for (const item of read.items) {
          if (item instanceof RedisChangeEntryError) unreadable.push(item);
          else entries.push(item);
        }
        const last = read.items.at(-1);
        if (last !== undefined) position[shard] = idOf(last);
      }
      return { entries, unreadable, position, gap };
    },

    follow(service, followOptions = {}) {
      if (typeof service?.ingest !== 'function') throw new TypeError('follow: service must be a presence service (with ingest)');
      const pollMs = followOptions.pollMs ?? 50;
      const blockMs = followOptions.blockMs ?? 1_000;
      const batch = followOptions.batch ?? 500;
      const onEntryAttempts = followOptions.onEntryAttempts ?? 3;
      const readOnly = followOptions.readOnly === true;
      checkCount('follow', 'pollMs', pollMs);
      checkCount('follow', 'blockMs', blockMs);
      const given = followOptions.blockingClient;
      if (given !== undefined && given !== null && typeof given.sendCommand !== 'function') {
        throw new TypeError('follow: blockingClient must be a connected client of its own (with sendCommand), or null to poll');
      }
      if (given === client)
        throw new TypeError('follow: blockingClient must not be the client the stream reads with (a blocked connection blocks every command on it)');
      checkCount('follow', 'batch', batch);
      checkCount('follow', 'onEntryAttempts', onEntryAttempts);
      const onError = followOptions.onError ?? ((error: unknown) => console.error('agent-presence redis follower:', error));
      const tell = (error: unknown) => {
        try {
          onError(error);
        } catch {
          // onError itself failed: nothing more can be done about it here
        }
      };
      /** `onEntry` failures of the entry a shard waits on, by `<shard> <entry id>`. */
      const failures = new Map<string, number>();
      /** Per shard, the failure to read it last told (told again only when it changes). */
      const shardFailures = new Map<number, string>();

      /** After a bad entry: the agent read again from the store (its roster entry refreshed, or found unreadable). */
      const refresh = async (agentId: string | undefined) => {
        if (agentId === undefined || typeof service.get !== 'function') return;
        try {
          await service.get(agentId);
        } catch {
          // Unreadable (the service reports it), a bad id, or Redis away: the entry was reported already.
        }
      };

      /** Takes in one entry: true to go on with the shard, false to stop it here and try the entry again later. */
      const take = async (item: RedisChangeEntry | RedisChangeEntryError): Promise<boolean> => {
        if (item instanceof RedisChangeEntryError) {
          tell(item);
          await refresh(item.agentId);
          return true;
        }
        const where = { shard: item.shard, entryId: item.id, agentId: item.agentId };
        try {
          if (item.state !== undefined)
            service.ingest({
              agentId: item.agentId,
              state: item.state,
              version: item.version,
              ...(item.generation !== undefined ? { generation: item.generation } : {}),
              ...(item.change !== undefined ? { change: item.change } : {}),
            });
        } catch (cause) {
          tell(new RedisChangeEntryError({ ...where, step: 'ingest', attempts: 1, skipped: true }, cause));
          await refresh(item.agentId);
          return true;
        }
        if (followOptions.onEntry === undefined) return true;
        const key = `${item.shard} ${item.id}`;
        try {
          followOptions.onEntry(item);
          failures.delete(key);
          return true;
        } catch (cause) {
          const attempts = (failures.get(key) ?? 0) + 1;
          const skipped = attempts >= onEntryAttempts;
          if (skipped) failures.delete(key);
          else failures.set(key, attempts);
          tell(new RedisChangeEntryError({ ...where, step: 'onEntry', attempts, skipped }, cause));
          return skipped;
        }
      };
      let position: string[] | undefined;
      let stopped = false;
      // Waiters of caughtUp: each resolves after a complete pass that started after it was asked.
      let waiting: (() => void)[] = [];
      const from = followOptions.from ?? '$';
      checkFrom('follow', from);

      /**
       * Per shard, where the follower was caught up (its position was the stream's last generated id) and how many
       * entries the stream had had then: an entry read after it is no gap while every entry added since is kept.
       */
      const caughtUpAt: ({ position: string; added: number } | undefined)[] = streams.map(() => undefined);
      /** Per shard, the generation seen at the last read ('' none yet); undefined before the first read. */
      const generations: (StoreGeneration | undefined)[] = streams.map(() => undefined);

      /**
       * Whether a shard lost data since the last read: its generation changed from one it had, or the newest entry
       * this process read or saved is gone (untrimmed). When it kept its old generation through a loss, gives it a
       * new one, so that the other processes see the loss too. The generation is adopted only once the loss was
       * dealt with (see `pass`), so a failure in between finds it again.
       */
      const checkLoss = async (shard: number, read: { generation: string; lost: boolean }): Promise<RedisDataLossError | undefined> => {
        const held = generations[shard];
        const changed = held !== undefined && held !== '' && read.generation !== held;
        if (!changed && !read.lost) {
          generations[shard] = read.generation;
          return undefined;
        }
        // Before the first read there is nothing to tell the others (the position given may just be from before a loss).
        // A read-only follower writes nothing: a writing process's follower gives the shard its new generation.
        const rotate = !changed && held !== undefined && !readOnly;
        const now = rotate
          ? (text(await runScript(client, ROTATE_SCRIPT, [layout.generationKey(shard)], [read.generation, generationSeed()])) ?? '')
          : read.generation;
        return new RedisDataLossError(shard, streams[shard] as string, changed ? 'generation' : 'missing-entry', held ?? '', now);
      };

      /** After a loss: the shard's newest surviving entry at or before the position ('0-0' when none survived). */
      const survivor = async (shard: number, at: string): Promise<string> => {
        if (at === '0-0') return at;
        return lastEntryAtOrBefore(streams[shard] as string, at);
      };

      /**
       * One read of every shard: whether one has more to read, and whether one waits to try an entry again. Every
       * shard is read (and checked for a loss) before any entry is taken in: a loss anywhere resynchronises the
       * service first, and the entries are read again from the surviving positions.
       */
      const pass = async (at: string[], only?: ReadonlySet<number>): Promise<{ more: boolean; held: boolean }> => {
        // Every shard at once (one round trip when the client pipelines, as node-redis does); `only` those a
        // blocking read saw an entry in, when given (the others are read at the next full pass).
        const reads = await Promise.all(
          streams.map(async (stream, shard): Promise<Awaited<ReturnType<typeof readShard>> | undefined> => {
            if (only !== undefined && !only.has(shard)) return undefined;
            const own = written.get(stream);
            const after = at[shard] as string;
            const probe = own !== undefined && compareStreamIds(own, after) > 0 ? own : after;
            /** This shard cannot be read (its stream key of another type): told once, passed over; the others go on. */
            const unreadable = (error: unknown) => {
              const message = `change stream shard ${shard} (${stream}) cannot be read: ${error instanceof Error ? error.message : String(error)}`;
              if (shardFailures.get(shard) !== message) tell(new Error(message, { cause: error }));
              shardFailures.set(shard, message);
            };
            try {
              const caught = caughtUpAt[shard];
              const read = await readShard(shard, after, batch, probe, caught !== undefined && caught.position === after ? String(caught.added) : '');
              // A stream key of another type: the shard is still checked for a loss (its generation), its entries passed over.
              if (read.wrongType !== undefined) unreadable(new Error(`WRONGTYPE its key holds a ${read.wrongType}, not a stream: rename or delete it`));
              else shardFailures.delete(shard);
              return read;
            } catch (error) {
              if (error instanceof RedisUnavailableError) throw error;
              unreadable(error);
              return undefined;
            }
          }),
        );
        if (stopped) return { more: false, held: false };
        const losses: RedisDataLossError[] = [];
        for (let shard = 0; shard < reads.length; shard++) {
          const read = reads[shard];
          const loss = read === undefined ? undefined : await checkLoss(shard, read);
          if (loss !== undefined) losses.push(loss);
        }
        if (losses.length > 0) {
          for (const { shard, stream } of losses) {
            at[shard] = await survivor(shard, at[shard] as string);
            written.forget(stream);
          }
          await (service.resync?.() ?? service.rebuildRoster());
          for (const loss of losses) {
            generations[loss.shard] = loss.after;
            tell(loss);
          }
          return { more: true, held: false };
        }
        let more = false;
        let held = false;
        for (let shard = 0; shard < reads.length && !stopped; shard++) {
          const read = reads[shard];
          if (read === undefined) continue;
          if (read.gap) await service.rebuildRoster();
          let waits = false;
          for (const item of read.items) {
            if (!(await take(item))) {
              waits = true;
              break;
            }
            at[shard] = idOf(item);
          }
          held ||= waits;
          if (!waits && read.items.length === batch) more = true;
          caughtUpAt[shard] = !waits && at[shard] === read.last ? { position: read.last, added: read.added } : undefined;
        }
        return { more, held };
      };

      /** With `maxAgeMs`: how often this (writing) follower trims the streams by age, and when it last did. */
      const trimEveryMs = layout.maxAgeMs === undefined || readOnly ? undefined : Math.min(60_000, Math.max(1_000, Math.floor(layout.maxAgeMs / 10)));
      let trimmedAt = Number.NEGATIVE_INFINITY;
      const trimByAge = async (): Promise<void> => {
        if (trimEveryMs === undefined || Date.now() - trimmedAt < trimEveryMs) return;
        trimmedAt = Date.now();
        for (const stream of streams) {
          try {
            await runScript(client, TRIM_BY_AGE_SCRIPT, [stream], [String(layout.maxAgeMs)]);
          } catch (error) {
            if (error instanceof RedisUnavailableError) throw error;
            tell(new Error(`change stream: could not trim ${stream} by age: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
          }
        }
      };

      /** The waits under way: each ends at once at `stop` (its timer cleared, so a stopped loop keeps no process alive). */
      const { pause, wakeAll } = createNaps();

      /** Wakes the follower waiting in `idle` (a `caughtUp` asked, or `stop`). */
      let wakeUp: (() => void) | undefined;
      const wake = () => {
        wakeUp?.();
        wakeUp = undefined;
      };
      const blocking = connectionToBlockOn(client, given, tell);
      /** The `XREAD BLOCK` in flight, if any: a wake-up signal only (the entries are read by `pass`). */
      let pending: Promise<ReadonlySet<number> | undefined> | undefined;
      /** Set when the blocking connection refused to read streams of several Cluster slots at once: then polled. */
      let crossSlot = false;

      /**
       * Waits until an entry is appended after the position on some shard, `blockMs` passed, or the follower is
       * woken; with no connection to block on, `pollMs`. Nothing is taken in here: whatever wakes it, the next
       * `pass` reads every shard with its checks.
       */
      const idle = async (at: readonly string[]): Promise<ReadonlySet<number> | undefined> => {
        if (stopped || waiting.length > 0) return undefined;
        const woken = new Promise<void>((resolve) => (wakeUp = resolve));
        const connection = crossSlot ? undefined : await blocking.get();
        if (stopped || waiting.length > 0) return undefined;
        if (connection === undefined) {
          await nap(pollMs, woken);
          return undefined;
        }
        if (pending === undefined) {
          // Shards whose stream key holds another type are left out (XREAD would refuse them all); read by `pass`.
          const shards = streams.map((_, shard) => shard).filter((shard) => !shardFailures.has(shard));
          if (shards.length === 0) {
            await nap(blockMs, woken);
            return undefined;
          }
          const args = [
            'XREAD',
            'COUNT',
            '1',
            'BLOCK',
            String(blockMs),
            'STREAMS',
            ...shards.map((s) => streams[s] as string),
            ...shards.map((s) => at[s] as string),
          ];
          const started = send(connection, args).then(
            (reply) => shardsIn(reply),
            async (error: unknown): Promise<undefined> => {
              if (error instanceof Error && error.message.startsWith('CROSSSLOT')) {
                // A Cluster connection: the streams are in several slots, which one XREAD cannot span. Polled from now on.
                crossSlot = true;
                tell(
                  new Error(`change stream: the shards' streams are in several Cluster slots, which one XREAD BLOCK cannot span: polling every ${pollMs} ms`, {
                    cause: error,
                  }),
                );
                return undefined;
              }
              // The blocking connection failed (Redis away, the connection closed): told, and tried again after pollMs.
              if (!stopped) {
                tell(new Error(`change stream: XREAD BLOCK failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
                await pause(pollMs);
              }
              return undefined;
            },
          );
          pending = started;
          void started.finally(() => {
            if (pending === started) pending = undefined;
          });
        }
        return Promise.race([pending, woken.then(() => undefined)]);
      };

      /** The shards whose streams an `XREAD` reply holds entries of (RESP2 or RESP3); undefined when it holds none. */
      const shardIndex = new Map(streams.map((stream, shard) => [stream, shard]));
      const shardsIn = (reply: unknown): ReadonlySet<number> | undefined => {
        const keys: unknown[] =
          reply instanceof Map
            ? [...(reply.keys() as Iterable<unknown>)]
            : Array.isArray(reply)
              ? reply.map((item: unknown) => (Array.isArray(item) ? (item[0] as unknown) : undefined))
              : typeof reply === 'object' && reply !== null
                ? Object.keys(reply)
                : [];
        const shards = new Set<number>();
        for (const key of keys) {
          const shard = typeof key === 'string' || key instanceof Uint8Array ? shardIndex.get(text(key) as string) : undefined;
          if (shard === undefined) return undefined; // a reply not understood: read every shard
          shards.add(shard);
        }
        return shards.size > 0 ? shards : undefined;
      };
      /** When the last pass over every shard started: one runs at least every blockMs, whatever wakes the follower. */
      let lastFull = Number.NEGATIVE_INFINITY;

      const loop = (async () => {
        /** The shards the last blocking read woke the follower for (undefined: read them all). */
        let only: ReadonlySet<number> | undefined;
        while (!stopped) {
          const asked = waiting;
          waiting = [];
          let outcome: { more: boolean; held: boolean };
          try {
            position ??= await resolvePosition(from);
            const full = only === undefined || asked.length > 0 || Date.now() - lastFull >= blockMs;
            if (full) lastFull = Date.now();
            outcome = await pass(position, full ? undefined : only);
            only = undefined;
            await trimByAge();
          } catch (error) {
            waiting.unshift(...asked);
            tell(error);
            await pause(pollMs);
            continue;
          }
          if (outcome.more || outcome.held) {
            // Not caught up yet: read on at once, or after pollMs when an entry waits to be tried again.
            waiting.unshift(...asked);
            if (outcome.held) await pause(pollMs);
            continue;
          }
          for (const resolve of asked) resolve();
          only = await idle(position);
        }
      })();

      return {
        get position() {
          return [...(position ?? [])];
        },
        caughtUp() {
          if (stopped) return Promise.resolve();
          const done = new Promise<void>((resolve) => waiting.push(resolve));
          wake();
          return done;
        },
        async stop() {
          stopped = true;
          for (const resolve of waiting) resolve();
          waiting = [];
          wake();
          wakeAll();
          await loop;
          await blocking.close(client, pending);
        },
      };
    },
  };
}
