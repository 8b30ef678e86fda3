import { createHash } from 'node:crypto';
import { describeValue } from '../core/internal';
import { snapshot } from '../schema/snapshot';
import type {
  ClaimingSaveResult,
  PresenceRecord,
  PresenceStore,
  RosterLookup,
  RosterMatch,
  RosterReserve,
  ResolvedRosterQuery,
  RosterPlacement,
  SaveContext,
  SaveResult,
  StoredRecord,
  UncheckedRecord,
  VersionedRecord,
  WorkItemChanges,
} from '../service/index';
import { restoreRecord, snapshotRecord, UnreadableRecordError, type PresenceRecordSnapshot } from '../service/index';
import { checkCommandClient, isClusterCommandClient } from './clusterCommandClient';
import { rosterOrder, type Ranked } from '../service/RosterQuery';
import { MAX_RESERVE_MS } from '../service/routeItem';
import type { RedisCommandClient } from './RedisCommandClient';
import {
  generationSeed,
  randomHex,
  isWrongType,
  isGeneration,
  list,
  RELEASE_RESERVED_SCRIPT,
  RESERVING_ROSTER_SCRIPT,
  ROSTER_SCRIPT,
  runReadOnlyScript,
  runScript,
  SAVE_SCRIPT,
  send,
  SET_ASIDE_SCRIPT,
  text,
  boundCommands,
} from './redisCommands';
import { resolveLayout, type RedisLayout } from './redisLayout';
import type { RedisPresenceOptions } from './RedisPresenceOptions';
import { writtenStreamIds } from './writtenStreamIds';
import { configBindingOf } from './configBinding';
import { createRecordCache } from './createRecordCache';
import { RedisConfigError } from './RedisConfigError';
import { claimKey, claimsArg, createRedisWorkClaims, FENCE_KEPT_MS, fencesKey } from './createRedisWorkClaims';
import { SAVE_CLAIMED_SCRIPT } from './workClaimScripts';
import { SAVE_CLAIMING_WORK_SCRIPT } from './saveClaimingWorkScript';

/**
 * The Redis keys of one agent, and of the shard it belongs to (see {@link RedisPresenceOptions} for the layout).
 *
 * @category Store
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisPresenceStore, type RedisAgentKeys } from 'agent-presence/redis';
 * const keys: RedisAgentKeys = createRedisPresenceStore(createClient(), { keyPrefix: 'presence:' }).keysOf('agent-7');
 * console.log(keys.record, keys.stream); // presence:{0}:agent:agent-7 presence:{0}:changes
 * ```
 */
export interface RedisAgentKeys {
  readonly shard: number;
  /** Hash: `v` (version), `r` (record JSON), `g` (the shard's generation when it was saved). */
  readonly record: string;
  /** List: the agent's latest presence changes, oldest first. */
  readonly history: string;
  /** Set: the shard's agent ids. */
  readonly agents: string;
  /** Stream: the shard's saves. */
  readonly stream: string;
  /** Hash: agent id → next deadline. */
  readonly deadlines: string;
  /** Sorted set: agent id by when its timer is due (its deadline, or a claim's lease). */
  readonly timers: string;
  /** Where `readForRepair` moves what it found at `record` when a save could not write over it (written only then). */
  readonly unreadable: string;
  /** String: the shard's generation (made by the first save, made again after the data was lost). */
  readonly generation: string;
  /**
   * Hash: the shard's roster, agent id → its place (bucket and members, JSON), for the agents routing may offer work
   * to; beside it `<roster>:f:<bucket>`, `<roster>:i:<bucket>`, `<roster>:o:<bucket>` and `<roster>:n:<bucket>`
   * (sorted sets: most free first, longest idle first, least recently routed first, by agent id) and
   * `<roster>:buckets` (hash: bucket → agents in it), and `<roster>:reserved` (sorted set: the agents `route` is
   * giving an item to, each until when). See `findAvailable`.
   */
  readonly roster: string;
  /** Hash: the shard's roster buckets and how many agents each holds. */
  readonly rosterBuckets: string;
}

/**
 * The Redis store: the service's {@link PresenceStore} port, plus where each agent's keys are.
 *
 * @category Store
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisPresenceStore, type RedisPresenceStore } from 'agent-presence/redis';
 * const store: RedisPresenceStore = createRedisPresenceStore(createClient(), { shards: 4 });
 * console.log(store.keysOf('agent-7').shard < 4); // true
 * ```
 */
export interface RedisPresenceStore extends PresenceStore {
  /**
   * @param agentId - the agent
   * @returns the agent's keys and shard
   */
  keysOf(agentId: string): RedisAgentKeys;
}

/** The keys of an agent. */
export function agentKeys(layout: RedisLayout, agentId: string): RedisAgentKeys {
  const shard = layout.shardOf(agentId);
  return {
    shard,
    record: layout.recordKey(agentId),
    history: layout.historyKey(agentId),
    agents: layout.agentsKey(shard),
    stream: layout.streamKey(shard),
    deadlines: layout.deadlinesKey(shard),
    timers: layout.timersKey(shard),
    unreadable: layout.unreadableKey(agentId),
    generation: layout.generationKey(shard),
    roster: layout.rosterKey(shard),
    rosterBuckets: `${layout.rosterKey(shard)}:buckets`,
  };
}

const orderedBits = new DataView(new ArrayBuffer(8));

/**
 * A number as 16 hex digits that sort (as strings, as Redis compares sorted-set members) as the numbers do: the
 * IEEE-754 bits, the sign bit flipped for a positive number, every bit flipped for a negative one.
 */
export function sortableHex(value: number): string {
  orderedBits.setFloat64(0, value + 0); // -0 as 0
  let high = orderedBits.getUint32(0);
  let low = orderedBits.getUint32(4);
  if (high >>> 31 === 1) {
    high = ~high >>> 0;
    low = ~low >>> 0;
  } else {
    high = (high | 0x80000000) >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}

/** The number `sortableHex` wrote. */
function fromSortableHex(hex: string): number {
  let high = Number.parseInt(hex.slice(0, 8), 16);
  let low = Number.parseInt(hex.slice(8, 16), 16);
  if (high >>> 31 === 1) {
    high = (high & 0x7fffffff) >>> 0;
  } else {
    high = ~high >>> 0;
    low = ~low >>> 0;
  }
  orderedBits.setUint32(0, high);
  orderedBits.setUint32(4, low);
  return orderedBits.getFloat64(0);
}

/** The score of "never routed" in the `o` sorted sets: below every time. */
const NEVER_ROUTED = -Number.MAX_VALUE;
/** The prefix of a member of the `n` sorted sets (16 characters, as the other members' sortable hex). */
const ID_MEMBER_PREFIX = '0000000000000000';

/**
 * The save script's roster arguments: mode, bucket, free score, free member, idle score, idle member, routed
 * score, routed member, id member.
 */
export function rosterArgs(agentId: string, roster: RosterPlacement | null | undefined): string[] {
  if (roster === undefined) return ['-', '', '', '', '', '', '', '', ''];
  if (roster === null) return ['', '', '', '', '', '', '', '', ''];
  const bucket = `${roster.base}\n${roster.slackExponent}\n${roster.presenceId}`;
  return [
    'set',
    bucket,
    String(-roster.freeUnits + 0),
    sortableHex(roster.idleSince) + agentId,
    String(roster.idleSince),
    sortableHex(-roster.freeUnits) + agentId,
    String(roster.routedAt ?? NEVER_ROUTED),
    sortableHex(roster.idleSince) + agentId,
    ID_MEMBER_PREFIX + agentId,
  ];
}

/**
 * The arguments `SAVE_CLAIMING_WORK_SCRIPT` takes after the save's: the claim lease, how long a fence is kept, the key
 * prefix and the number of shards (to name another holder's keys), the number of items added, those items, a new
 * token for each, then the items removed.
 */
function claimingArgs(layout: RedisLayout, work: WorkItemChanges): string[] {
  return [
    String(layout.claimLeaseMs),
    String(FENCE_KEPT_MS),
    layout.keyPrefix,
    String(layout.shards),
    String(work.added.length),
    ...work.added,
    ...work.added.map(() => randomHex(8)),
    ...work.removed,
  ];
}

/** A roster bucket of a shard, read a page at a time. */
interface BucketCursor {
  readonly shard: number;
  readonly bucket: string;
  next: number;
  readonly buffer: Ranked[];
}

/** How many records this process keeps by default (the ones it saved or read last). */
const DEFAULT_RECORD_CACHE = 10_000;

/**
 * How many of the records kept are also kept as objects: those read or used last (a candidate `findAvailable` offers
 * again, a record read for a retry). The others are parsed from their text when used.
 */
const HOT_RECORDS = 256;

/**
 * A record kept by the store: its JSON text (as `snapshotRecord` makes it), its version and generation, and the SHA-1
 * of the text Redis holds. Kept as text rather than as the record's objects: a handful of heap objects an agent
 * instead of about two dozen, so that the garbage collector's full collections, which mark every object still
 * reachable, have half as much to do in a cache of 100,000 records (docs/performance.md, "Sixth pass"). A record is
 * parsed (`JSON.parse`, not checked again: it was written here, or checked when read and written out again) when it
 * is used.
 */
interface KeptRecord {
  readonly text: string;
  readonly version: number;
  readonly generation: string | undefined;
  readonly digest: string;
}

/** A record kept, as an object (its text parsed). */
function parseKept(kept: KeptRecord): VersionedRecord {
  const { state, seen, routing } = JSON.parse(kept.text) as PresenceRecordSnapshot;
  return {
    record: routing === undefined ? { state, seen } : { state, seen, routing },
    version: kept.version,
    ...(kept.generation !== undefined ? { generation: kept.generation } : {}),
  };
}

/** A stored version (`v`): a whole number ≥ 1, else undefined. */
function versionOf(value: string | undefined): number | undefined {
  return value !== undefined && /^[1-9]\d{0,15}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
}

/** An agent's record as `HMGET v r g` returned it; undefined when nothing is stored; an {@link UnreadableRecordError} when it cannot be read. */
function readRecord(agentId: string, reply: unknown): VersionedRecord | undefined {
  const [v, record, g] = list(reply).map(text);
  if (v === undefined && record === undefined) return undefined;
  // A generation this store never makes (written by hand) is ignored: the record then compares by version, as one saved before generations.
  const generation = isGeneration(g) ? g : undefined;
  const version = versionOf(v);
  if (version === undefined) {
    const problem = `its version (field v) must be a whole number ≥ 1 (got ${v === undefined ? 'none' : describeValue(v)})`;
    throw new UnreadableRecordError(agentId, new Error(problem), { record, generation });
  }
  if (record === undefined) throw new UnreadableRecordError(agentId, new Error('its hash holds a version but no record (field r)'), { version, generation });
  try {
    return { record: restoreRecord(record), version, ...(generation !== undefined ? { generation } : {}) };
  } catch (cause) {
    throw new UnreadableRecordError(agentId, cause, { version, record, generation });
  }
}

/**
 * A {@link PresenceStore} on Redis, for services in several processes sharing agents.
 *
 * - `save` is one Lua script: it compares the stored version with the expected one and, only when they match,
 *   writes the record (`snapshotRecord` JSON, the schema module's versioned snapshot with the remembered event
 *   ids) under the next version, appends the save to the shard's change stream (the saved state, the event id,
 *   and the presence change when there is one), the change to the agent's capped history, and the state's next
 *   deadline to the shard's timers, and the save's work entries (`SaveContext.work`, for reports) to the same
 *   history. All of it or none: no stream entry without its save, no save missing from
 *   the stream. A version that moved on is a conflict and writes nothing; no WATCH, no MULTI.
 *   A quiet save (`SaveContext.quiet`: a heartbeat) appends a tiny entry without the state. The agent's place in
 *   the shard's roster (`SaveContext.roster`) is kept by the same script.
 * - `findAvailable` answers a roster query from that roster: one read-only script per shard, which also returns
 *   the records of the shard's best candidates (one round trip in the common case); each is checked (or, when it
 *   is the very record this process saved or read last, by version, generation and SHA-1, taken as kept) and
 *   offered when the service's `accepts` takes them. A process that only routes needs no follower. For `route`
 *   (`reserve`), the same read is a writing script that also reserves the shard's best agent no other router holds,
 *   for the route's lease, and says which candidates others hold; `releaseReservation` gives one back.
 * - The records this process saved or read last are kept (`recordCacheSize`) and offered by `loadCached`, so that
 *   a dispatch is one round trip; a save over a kept record also compares its generation and the SHA-1 of its text
 *   (a record changed by hand is read and checked again), and a conflict returns the current record, checked.
 * - `load` reads the record back with `restoreRecord` (every field checked). A record that cannot be read (JSON
 *   that does not parse, a field `restoreRecord` refuses, a newer release's `schemaVersion`, a version that is
 *   not a number, a key of another type) throws `UnreadableRecordError` naming the agent and the cause.
 *   The shard's generation (made by the save when it is missing: a new deployment, or the data was lost) goes
 *   with the record, the stream entry and the change, and `save` and `load` return it (see `StoreGeneration`).
 * - `claimWork` and `freeWork` keep one item, one agent across processes and Cluster slots: a claim per work item
 *   (`P{w:<item>}:claim`, its own slot, leased for `claimLeaseMs`), taken over from a holder whose record does not hold
 *   the item only after fencing the holder's claim beside its record (`P{N}:fences:<agentId>`) in the script that reads
 *   that record; a save that adds items runs the save script with the fences checked first. On one server (any client
 *   but a `clusterCommandClient`), `saveClaimingWork` does all of it in the save script instead, after its
 *   compare-and-set: an assignment or a release is one round trip. See "One item, one agent" in docs/scale-out.md.
 * - `list` walks each shard's agent set with `SSCAN`, a page at a time (an agent may come twice; the service
 *   keeps the latest version). An unreadable record goes to `onUnreadable` and the listing goes on.
 * - `readForRepair` returns the record as stored for `repairAgent`. What a save cannot write over is made so
 *   first, at a version above the highest the shard's stream and the agent's history still hold: a key of
 *   another type is renamed to `P{N}:unreadable:<agentId>` (kept for inspection), a version that is not a number
 *   is replaced (the record left in place).
 *
 * Errors: when Redis cannot be reached (or is loading, or failing over), each method rejects with
 * {@link RedisUnavailableError} (`retryable: true`); `dispatch` passes it on. A save that failed that way may or
 * may not have been written: send the event again with the same `eventId` (if it was written, the service returns
 * its result with `duplicate: true` and publishes its change then). Configure the client to fail fast
 * rather than queue commands while disconnected (`disableOfflineQueue: true` in node-redis) so that callers hear
 * of an outage at once.
 *
 * @param client - a connected client (node-redis `createClient()`, or anything with `sendCommand`)
 * @param options - key prefix, shards and limits; the same in every process
 * @returns the store
 * @throws TypeError naming each bad option
 * @category Store
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService } from 'agent-presence/service';
 * import { createRedisPresenceStore } from 'agent-presence/redis';
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', disableOfflineQueue: true }); // await client.connect() before use
 * const service = createPresenceService({
 *   machine: createPresenceMachine({}),
 *   store: createRedisPresenceStore(client, { keyPrefix: 'presence:' }),
 * });
 * ```
 */
export function createRedisPresenceStore(client: RedisCommandClient, options?: RedisPresenceOptions): RedisPresenceStore {
  checkCommandClient('createRedisPresenceStore', client);
  const layout = resolveLayout('createRedisPresenceStore', options);
  boundCommands(client, layout.commandTimeoutMs);
  const keysOf = (agentId: string) => agentKeys(layout, agentId);
  const written = writtenStreamIds(client);
  /** The records this process saved or read last, each as it was then: as JSON text (see {@link KeptRecord}). */
  const cacheSize = options?.recordCacheSize ?? DEFAULT_RECORD_CACHE;
  const cache = createRecordCache<KeptRecord>(cacheSize);
  /** The few records kept that were read or used last, as objects (each with the entry of `cache` it is parsed from). */
  const hot = createRecordCache<{ readonly kept: KeptRecord; readonly stored: VersionedRecord }>(HOT_RECORDS);
  const keepHot = (agentId: string, kept: KeptRecord, stored: VersionedRecord) => hot.set(agentId, { kept, stored });
  const forget = (agentId: string) => {
    cache.delete(agentId);
    hot.delete(agentId);
  };
  /**
   * The record kept for the agent, as an object: the one used last when it is still the one kept, else parsed from its
   * text, and kept hot when `keep` (a candidate sent again by the roster script). A dispatch's record is parsed and not
   * kept hot: its save replaces it at once, and keeping it made heartbeats promote about twice as many bytes to the
   * old generation, which the full collections behind their tail then clear (docs/performance.md, "Eighth pass").
   */
  const recall = (agentId: string, kept: KeptRecord, keep: boolean): VersionedRecord => {
    const known = hot.get(agentId);
    if (known !== undefined && known.kept === kept) return known.stored;
    const stored = parseKept(kept);
    if (keep) keepHot(agentId, kept, stored);
    return stored;
  };
  /**
   * Keeps a record with the SHA-1 of its stored text, so that a save over it finds out a record changed by hand. `text`
   * is `stored.record` as this process wrote it (`written`) or as Redis holds it (read and checked: kept as the record
   * read, written out again, so that parsing it gives what `restoreRecord` gave).
   */
  const remember = (agentId: string, stored: VersionedRecord | undefined, storedText: string | undefined, digest?: string, written = false) => {
    if (stored === undefined || storedText === undefined || cacheSize === 0) return forget(agentId);
    // The generation, when unchanged, as the string kept already (one string fewer to keep per save).
    const before = cache.get(agentId)?.generation;
    const kept: KeptRecord = {
      text: written ? storedText : JSON.stringify(snapshotRecord(stored.record)),
      version: stored.version,
      generation: before !== undefined && before === stored.generation ? before : stored.generation,
      digest: digest ?? createHash('sha1').update(storedText).digest('hex'),
    };
    cache.set(agentId, kept);
    // A record read is about to be used (a candidate, a retry); one written here is used again, if ever, much later.
    if (written) hot.delete(agentId);
    else keepHot(agentId, kept, stored);
  };

  /** `HMGET v r g` of the agent's record; a key of another type is an {@link UnreadableRecordError}. */
  const readHash = async (agentId: string): Promise<unknown> => {
    const key = layout.recordKey(agentId);
    try {
      return await send(client, ['HMGET', key, 'v', 'r', 'g']);
    } catch (error) {
      if (!isWrongType(error)) throw error;
      const type = text(await send(client, ['TYPE', key]).catch(() => undefined)) ?? 'another type';
      throw new UnreadableRecordError(agentId, new Error(`its key ${key} holds a ${type}, not a hash`, { cause: error }));
    }
  };

  /** The highest version of the agent that its history or its shard's stream still holds (0: none). */
  const lastKnownVersion = async (agentId: string): Promise<number> => {
    const keys = keysOf(agentId);
    // A history or stream key of another type holds no version (Redis being unavailable is passed on).
    const unlessWrongType = (error: unknown) => {
      if (isWrongType(error)) return undefined;
      throw error;
    };
    let highest = 0;
    const last = text(await send(client, ['LINDEX', keys.history, '-1']).catch(unlessWrongType));
    try {
      const version: unknown = last === undefined ? undefined : (JSON.parse(last) as { version?: unknown } | null)?.version;
      if (Number.isSafeInteger(version)) highest = version as number;
    } catch {
      // A change that is not JSON: the stream may still tell.
    }
    // The stream, newest first, until the agent's latest entry.
    for (let end = '+'; ;) {
      const page = list(await send(client, ['XREVRANGE', keys.stream, end, '-', 'COUNT', '1000']).catch(unlessWrongType));
      for (const raw of page) {
        const [id, fields] = list(raw);
        const flat = list(fields).map(text);
        for (let i = 0; i + 1 < flat.length; i += 2) {
          if (flat[i] === 'agent' && flat[i + 1] !== agentId) break;
          if (flat[i] === 'version') return Math.max(highest, versionOf(flat[i + 1]) ?? 0);
        }
        end = `(${text(id) as string}`;
      }
      if (page.length < 1000) return highest;
    }
  };

  /**
   * A record the roster script sent (`v`, `r`, `g`, SHA-1 of `r`): the one kept here when it is the same (same
   * version and generation, and text of the same SHA-1: saved or read and checked here), else checked whole (an
   * {@link UnreadableRecordError} when it cannot be read) and kept.
   */
  const recordSent = (agentId: string, fields: readonly unknown[]): VersionedRecord | undefined => {
    const [v, record, g, digest] = fields.map(text);
    const known = cache.get(agentId);
    if (
      known !== undefined &&
      digest !== undefined &&
      known.digest === digest &&
      String(known.version) === v &&
      known.generation === (isGeneration(g) ? g : undefined)
    ) {
      return recall(agentId, known, true);
    }
    forget(agentId);
    const stored = readRecord(agentId, [v, record, g]);
    remember(agentId, stored, record, digest);
    return stored;
  };

  /** A shard's reservations for `route` (see `RESERVING_ROSTER_SCRIPT`), in the shard's slot. */
  const reservedKey = (shard: number) => `${layout.rosterKey(shard)}:reserved`;

  const claims = createRedisWorkClaims(client, layout, layout.claimLeaseMs);
  /** On one server every key is in reach of one script: a save claims and frees work items itself (not on a Cluster). */
  const claimsInSave = !isClusterCommandClient(client);
  /**
   * The save script, compare-and-set on the version (and on the record kept here, when it is that version): `SAVE_SCRIPT`;
   * with the claims `claimWork` gave, `SAVE_CLAIMED_SCRIPT`; with the items it adds and removes (`saveClaimingWork`, on
   * one server), `SAVE_CLAIMING_WORK_SCRIPT`.
   */
  const write = async (
    agentId: string,
    record: PresenceRecord,
    expectedVersion: number,
    context?: SaveContext,
    work?: WorkItemChanges,
  ): Promise<ClaimingSaveResult> => {
    const keys = keysOf(agentId);
    // The config version the record was made with (read before any await: the machine that made it is the service's now).
    const binding = configBindingOf(store);
    const configVersion = binding?.version() ?? 0;
    if (typeof configVersion !== 'number') {
      // The process's first read of the config is under way: once its machine is the deployment's, make the record again.
      await configVersion;
      return { ok: false, conflict: true, currentVersion: expectedVersion };
    }
    const state = JSON.stringify(snapshot(record.state));
    // snapshotRecord(record) as text, without writing the state twice: `{ schemaVersion, state, seen, routing? }`.
    const routing = record.routing === undefined ? '' : `,"routing":${JSON.stringify(record.routing)}`;
    const stored = `${state.slice(0, -1)},"seen":${JSON.stringify(record.seen)}${routing}}`;
    const deadline = context === undefined ? '-' : context.nextDeadline === undefined ? '' : String(context.nextDeadline);
    // Saving over the record as read here: one of another generation (the shard lost data since) is a conflict too.
    const known = cache.get(agentId);
    const same = known !== undefined && known.version === expectedVersion;
    // A save that adds work items checks their claims against the agent's fences (one item, one agent).
    const given = context?.claims !== undefined && context.claims.length > 0 ? context.claims : undefined;
    // A save that adds or removes them on one server claims and frees them itself, after its compare-and-set.
    const moved = work !== undefined && (work.added.length > 0 || work.removed.length > 0) ? work : undefined;
    const reply = list(
      await runScript(
        client,
        moved !== undefined ? SAVE_CLAIMING_WORK_SCRIPT : given === undefined ? SAVE_SCRIPT : SAVE_CLAIMED_SCRIPT,
        [
          keys.record,
          keys.agents,
          keys.stream,
          keys.history,
          keys.deadlines,
          keys.timers,
          keys.generation,
          keys.roster,
          keys.rosterBuckets,
          layout.configVersionKey(keys.shard),
          ...(given === undefined && moved === undefined ? [] : [fencesKey(layout, agentId)]),
          ...(moved === undefined ? [] : [...moved.added, ...moved.removed].map((workItemId) => claimKey(layout, workItemId))),
        ],
        [
          String(expectedVersion),
          stored,
          agentId,
          String(Buffer.byteLength(state) - 1), // in bytes, as Lua counts
          context?.change === undefined ? '' : JSON.stringify(context.change),
          deadline,
          String(layout.maxLen),
          String(layout.historyLimit),
          context?.eventId ?? '',
          generationSeed(),
          same ? (known.generation ?? '') : '',
          context?.quiet === true ? '1' : '',
          ...rosterArgs(agentId, context?.roster),
          same ? known.digest : '',
          String(configVersion),
          // The work entries, one JSON object a line (JSON text holds no raw line break); the script adds version and generation.
          context?.work === undefined ? '' : context.work.map((entry) => JSON.stringify(entry)).join('\n'),
          ...(moved !== undefined ? claimingArgs(layout, moved) : given === undefined ? [] : [claimsArg(given)]),
        ],
        // Whether it saved is not known: the record kept here may no longer be the stored one.
      ).catch((error: unknown) => {
        forget(agentId);
        throw error;
      }),
    );
    if (Number(reply[0]) === 3) {
      // Another agent holds an item added (checked after the compare-and-set): nothing written, the record kept here is the stored one.
      return { ok: false, taken: true, workItemId: text(reply[1]) as string, holder: text(reply[2]) as string, confirmed: Number(reply[3]) === 1 };
    }
    const version = Number(reply[1]);
    // Unless it saved, the record kept here is not known to be the stored one (a conflict reads it back below).
    if (Number(reply[0]) !== 1) forget(agentId);
    if (Number(reply[0]) === 2) {
      // The shard is on a newer config: take it up, then the service makes the record again with it.
      const required = Number(reply[2]);
      if (binding === undefined) {
        throw new RedisConfigError(
          'stale',
          layout.configKey(),
          `shard ${keys.shard} is on config version ${required} and this store follows no config: nothing was saved; make the store with createRedisPresence and start (or listen with) it, so that its process follows the config`,
          required,
        );
      }
      await binding.stale(required);
      return { ok: false, conflict: true, currentVersion: version };
    }
    if (Number(reply[0]) !== 1) {
      // The record stored now, checked like any read (it may be unreadable: the next load tells), kept for the retry.
      if (version > 0) {
        try {
          const current = text(reply[2]) ?? '';
          remember(agentId, readRecord(agentId, [String(version), current, text(reply[3]) ?? '']), current);
        } catch {
          forget(agentId);
        }
      }
      return { ok: false, conflict: true, currentVersion: version };
    }
    written.note(keys.stream, text(reply[2]) as string);
    const generation = text(reply[3]) as string;
    // Written here: kept as written, not read back nor checked again.
    remember(agentId, { record, version, generation }, stored, text(reply[4]), true);
    return { ok: true, version, generation };
  };

  const store: RedisPresenceStore = {
    keysOf,
    claimWork: claims.claimWork,
    freeWork: claims.freeWork,

    async load(agentId) {
      forget(agentId);
      const reply = await readHash(agentId);
      const stored = readRecord(agentId, reply);
      remember(agentId, stored, text(list(reply)[1]));
      return stored;
    },

    loadCached(agentId) {
      const kept = cache.get(agentId);
      return kept === undefined ? undefined : recall(agentId, kept, false);
    },

    async readForRepair(agentId: string): Promise<UncheckedRecord | undefined> {
      const keys = keysOf(agentId);
      forget(agentId);
      for (;;) {
        const type = text(await send(client, ['TYPE', keys.record]));
        if (type === 'none') return undefined;
        let record: string | undefined;
        let v: string | undefined;
        if (type === 'hash') {
          let g: string | undefined;
          [v, record, g] = list(await send(client, ['HMGET', keys.record, 'v', 'r', 'g'])).map(text);
          const version = versionOf(v);
          if (version !== undefined)
            return {
              version,
              ...(isGeneration(g) ? { generation: g } : {}),
              ...(record === undefined ? { problem: 'its hash holds a version but no record (field r)' } : { record }),
            };
        }
        // Nothing a save can compare with: continue above every version still known.
        const floor = await lastKnownVersion(agentId);
        const [done] = list(await runScript(client, SET_ASIDE_SCRIPT, [keys.record, keys.unreadable, keys.agents], [String(floor), agentId]));
        if (Number(done) !== 1) continue; // a sane version appeared meanwhile: read again
        const problem =
          type === 'hash'
            ? `its version (field v) was not a whole number ≥ 1 (got ${v === undefined ? 'none' : describeValue(v)}): set to ${floor}, above the versions the stream and history hold`
            : `its key held a ${type ?? '?'}, not a hash: moved aside to ${keys.unreadable}`;
        return { version: floor, problem, ...(record !== undefined ? { record } : {}) };
      }
    },

    save: (agentId: string, record: PresenceRecord, expectedVersion: number, context?: SaveContext): Promise<SaveResult> =>
      write(agentId, record, expectedVersion, context) as Promise<SaveResult>,

    ...(claimsInSave
      ? {
          saveClaimingWork: async (agentId: string, record: PresenceRecord, expectedVersion: number, context: SaveContext, work: WorkItemChanges) => {
            try {
              return await write(agentId, record, expectedVersion, context, work);
            } catch (error) {
              // A Cluster behind a wrapper of the caller's own (so not known for one): Redis refused the script before
              // running it, for keys in several slots. From now on this store claims in steps, and this save is told
              // to try again (as a conflict at the version it expected), which the service then does in steps.
              if (!(error instanceof Error) || !error.message.startsWith('CROSSSLOT')) throw error;
              delete (store as { saveClaimingWork?: unknown }).saveClaimingWork;
              return { ok: false, conflict: true, currentVersion: expectedVersion };
            }
          },
        }
      : {}),

    async findAvailable(query: ResolvedRosterQuery, lookup: RosterLookup, reserve?: RosterReserve): Promise<RosterMatch[]> {
      // Checked before anything is sent: a lease Redis cannot expire would leave a reservation held for good.
      const leaseMs = reserve?.leaseMs;
      if (reserve !== undefined && !(Number.isInteger(leaseMs) && (leaseMs as number) >= 1 && (leaseMs as number) <= MAX_RESERVE_MS))
        throw new TypeError(
          `findAvailable: reserve.leaseMs must be a whole number of ms from 1 to ${MAX_RESERVE_MS} (got ${describeValue(leaseMs)}); leave reserve out to reserve nothing`,
        );
      const order = ({ mostFree: 'f', longestIdle: 'i', leastRecentlyOffered: 'o', roundRobin: 'n' } as const)[query.order];
      const after = order === 'n' ? query.after : undefined;
      const compare = rosterOrder(query.order, after);
      const want = Math.max(8, Math.min(query.limit * 2, 256));
      const filters = [
        String(query.bases.length),
        ...query.bases,
        ...(query.presenceIds === undefined ? ['-1'] : [String(query.presenceIds.length), ...query.presenceIds]),
      ];
      /** The records the roster script sent with its candidates (`HMGET v r g` and the SHA-1 of `r`), by agent id. */
      const attached = new Map<string, unknown[]>();
      /** With `reserve`: the agents another router holds, and those reserved here now (agent id → until). */
      const heldElsewhere = new Set<string>();
      const reservedHere = new Map<string, string>();
      /** With `reserve`: the agents excluded, by shard (a shard's script is sent only its own: not all of them per shard). */
      const excludedIn = new Map<number, string[]>();
      for (const id of reserve === undefined ? [] : query.exclude) {
        const ids = excludedIn.get(layout.shardOf(id));
        if (ids === undefined) excludedIn.set(layout.shardOf(id), [id]);
        else ids.push(id);
      }
      /** Reads the next page of some buckets of one shard (all of them from 0 when `from` is undefined). */
      const readShard = async (shard: number, from?: readonly BucketCursor[]): Promise<BucketCursor[]> => {
        const targets = from === undefined ? ['all'] : from.flatMap((c) => [c.bucket, String(c.next)]);
        const keys = [layout.rosterKey(shard), `${layout.rosterKey(shard)}:buckets`];
        const args = [order, String(query.units), String(want), String(query.limit), layout.recordPrefix(shard), after ?? '', ...filters, ...targets];
        const [pages, records, held, mine] = list(
          reserve !== undefined && from === undefined
            ? // For `route`: the first read of the shard reserves its best agent no one holds, in the same step.
              await runScript(
                client,
                RESERVING_ROSTER_SCRIPT,
                [...keys, reservedKey(shard)],
                [String(leaseMs), String(excludedIn.get(shard)?.length ?? 0), ...(excludedIn.get(shard) ?? []), ...args],
              )
            : // Read-only (`EVALSHA_RO`): a listen-only process routes too, and sends nothing that can write.
              await runReadOnlyScript(client, ROSTER_SCRIPT, keys, args),
        );
        for (const raw of list(records)) {
          const [agentId, ...fields] = list(raw);
          attached.set(text(agentId) as string, fields);
        }
        for (const agentId of list(held)) heldElsewhere.add(text(agentId) as string);
        const [agentId, until] = list(mine).map((item) => text(item) as string);
        if (agentId !== undefined && until !== undefined) reservedHere.set(agentId, until);
        return list(pages).map((raw) => {
          const [bucket, next, read] = list(raw);
          const flat = list(read).map((item) => text(item) as string);
          const buffer: Ranked[] = [];
          for (let i = 0; i + 1 < flat.length; i += 2) {
            const member = flat[i]!;
            const score = Number(flat[i + 1]);
            const agentId = member.slice(16);
            const other = order === 'n' ? 0 : fromSortableHex(member.slice(0, 16));
            const never = -Infinity;
            buffer.push(
              order === 'f'
                ? { agentId, free: -score + 0, idleSince: other, routedAt: never }
                : order === 'i'
                  ? { agentId, free: -other + 0, idleSince: score, routedAt: never }
                  : { agentId, free: NaN, idleSince: other, routedAt: score <= NEVER_ROUTED ? never : score },
            );
          }
          return { shard, bucket: text(bucket) as string, next: Number(next), buffer };
        });
      };
      const shards = Array.from({ length: layout.shards }, (_, shard) => shard);
      let cursors = (await Promise.all(shards.map((shard) => readShard(shard)))).flat();
      const found: RosterMatch[] = [];
      // The agents excluded are passed over as if offered already.
      const offered = new Set<string>(query.exclude);
      const slackOf = (bucket: string) => 2 ** Number(bucket.split('\n')[1]);
      while (found.length < query.limit) {
        // Refill the buckets whose page is used up (one script per shard), then drop those done.
        const empty = cursors.filter((c) => c.buffer.length === 0 && c.next >= 0);
        if (empty.length > 0) {
          const refilled = await Promise.all(
            shards
              .filter((shard) => empty.some((c) => c.shard === shard))
              .map((shard) =>
                readShard(
                  shard,
                  empty.filter((c) => c.shard === shard),
                ),
              ),
          );
          const byKey = new Map(refilled.flat().map((c) => [`${c.shard} ${c.bucket}`, c]));
          cursors = cursors.map((c) => byKey.get(`${c.shard} ${c.bucket}`) ?? c);
        }
        cursors = cursors.filter((c) => c.buffer.length > 0);
        if (cursors.length === 0) break;
        // The next candidates in order, as many as are still wanted, while every bucket has its next one at hand.
        const batch: Ranked[] = [];
        while (batch.length < query.limit - found.length && cursors.length > 0 && cursors.every((c) => c.buffer.length > 0 || c.next < 0)) {
          let best: BucketCursor | undefined;
          for (const c of cursors) if (c.buffer.length > 0 && (best === undefined || compare(c.buffer[0]!, best.buffer[0]!) < 0)) best = c;
          if (best === undefined) break;
          const head = best.buffer.shift()!;
          // Longest idle: an agent whose free units + slack fall short of the units is refused (the machine's rule).
          if (order === 'i' && head.free + slackOf(best.bucket) < query.units) continue;
          if (!offered.has(head.agentId)) batch.push(head);
          offered.add(head.agentId);
        }
        const records = await Promise.all(
          batch.map(async (head) => {
            try {
              const sent = attached.get(head.agentId);
              if (sent !== undefined) return recordSent(head.agentId, sent);
              // Not among the shard's first agents (or its key is not a hash): read apart.
              const reply = await readHash(head.agentId);
              const stored = readRecord(head.agentId, reply);
              remember(head.agentId, stored, text(list(reply)[1]));
              return stored;
            } catch (error) {
              if (!(error instanceof UnreadableRecordError)) throw error;
              forget(head.agentId);
              lookup.onUnreadable(error);
              return undefined;
            }
          }),
        );
        batch.forEach((head, i) => {
          const stored = records[i];
          if (stored !== undefined && lookup.accepts(head.agentId, stored.record.state)) {
            found.push({ agentId: head.agentId, ...stored, ...(order === 'f' || order === 'i' ? { freeUnits: head.free, idleSince: head.idleSince } : {}) });
          }
        });
      }
      const answer = found.slice(0, query.limit);
      if (reserve === undefined) return answer;
      // The reservations taken for agents left out of the answer (not accepted, past the limit) go back at once.
      const offeredHere = new Set(answer.map((match) => match.agentId));
      for (const [agentId, until] of reservedHere) if (!offeredHere.has(agentId)) void store.releaseReservation?.(agentId, until);
      return answer.map((match) => {
        const until = reservedHere.get(match.agentId);
        if (until !== undefined) return { ...match, reservation: until };
        return heldElsewhere.has(match.agentId) ? { ...match, reservedElsewhere: true } : match;
      });
    },

    async releaseReservation(agentId: string, reservation: string): Promise<void> {
      try {
        await runScript(client, RELEASE_RESERVED_SCRIPT, [reservedKey(layout.shardOf(agentId))], [agentId, reservation]);
      } catch {
        // Not given back (Redis unreachable, say): the reservation lapses at the end of its lease.
      }
    },

    async rotation(agentId?: string): Promise<string | undefined> {
      const key = layout.rotationKey();
      if (agentId !== undefined) {
        await send(client, ['SET', key, agentId]);
        return agentId;
      }
      // Anything but a string there (a key of another type, written by hand): no rotation yet.
      return text(await send(client, ['GET', key]).catch((error: unknown) => (isWrongType(error) ? undefined : Promise.reject(error))));
    },

    async *list(onUnreadable?: (error: UnreadableRecordError) => void): AsyncIterable<StoredRecord> {
      for (let shard = 0; shard < layout.shards; shard++) {
        let cursor = '0';
        do {
          const [next, members] = list(await send(client, ['SSCAN', layout.agentsKey(shard), cursor, 'COUNT', '200']));
          cursor = text(next) ?? '0';
          const ids = list(members).map((member) => text(member) as string);
          const loaded = await Promise.all(
            ids.map(async (agentId) => {
              try {
                return { agentId, stored: readRecord(agentId, await readHash(agentId)) };
              } catch (error) {
                if (!(error instanceof UnreadableRecordError)) throw error;
                return { agentId, unreadable: error };
              }
            }),
          );
          for (const { agentId, stored, unreadable } of loaded) {
            if (unreadable !== undefined) {
              if (onUnreadable === undefined) throw unreadable;
              onUnreadable(unreadable);
            } else if (stored !== undefined) {
              yield { agentId, ...stored };
            }
          }
        } while (cursor !== '0');
      }
    },
  };
  return store;
}
