import { describeValue } from '../core/internal';
import { snapshot } from '../schema/snapshot';
import type { PresenceRecord, PresenceStore, SaveContext, SaveResult, StoredRecord, UncheckedRecord, VersionedRecord } from '../service/index';
import { restoreRecord, UnreadableRecordError } from '../service/index';
import type { RedisCommandClient } from './RedisCommandClient';
import { generationSeed, isWrongType, isGeneration, list, runScript, SAVE_SCRIPT, send, SET_ASIDE_SCRIPT, text } from './redisCommands';
import { resolveLayout, type RedisLayout } from './redisLayout';
import type { RedisPresenceOptions } from './RedisPresenceOptions';
import { writtenStreamIds } from './writtenStreamIds';
import { configBindingOf } from './configBinding';
import { RedisConfigError } from './RedisConfigError';

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
 *   deadline to the shard's timers. All of it or none: no stream entry without its save, no save missing from
 *   the stream. A version that moved on is a conflict and writes nothing; no WATCH, no MULTI.
 * - `load` reads the record back with `restoreRecord` (every field checked). A record that cannot be read (JSON
 *   that does not parse, a field `restoreRecord` refuses, a newer release's `schemaVersion`, a version that is
 *   not a number, a key of another type) throws `UnreadableRecordError` naming the agent and the cause.
 *   The shard's generation (made by the save when it is missing: a new deployment, or the data was lost) goes
 *   with the record, the stream entry and the change, and `save` and `load` return it (see `StoreGeneration`).
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
  if (typeof client?.sendCommand !== 'function') {
    throw new TypeError('createRedisPresenceStore: client must have a sendCommand method (a node-redis client)');
  }
  const layout = resolveLayout('createRedisPresenceStore', options);
  const keysOf = (agentId: string) => agentKeys(layout, agentId);
  const written = writtenStreamIds(client);

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

  const store: RedisPresenceStore = {
    keysOf,

    async load(agentId) {
      return readRecord(agentId, await readHash(agentId));
    },

    async readForRepair(agentId: string): Promise<UncheckedRecord | undefined> {
      const keys = keysOf(agentId);
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

    async save(agentId: string, record: PresenceRecord, expectedVersion: number, context?: SaveContext): Promise<SaveResult> {
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
      // snapshotRecord(record) as text, without writing the state twice: `{ schemaVersion, state, seen }`.
      const stored = `${state.slice(0, -1)},"seen":${JSON.stringify(record.seen)}}`;
      const deadline = context === undefined ? '-' : context.nextDeadline === undefined ? '' : String(context.nextDeadline);
      const reply = list(
        await runScript(
          client,
          SAVE_SCRIPT,
          [keys.record, keys.agents, keys.stream, keys.history, keys.deadlines, keys.timers, keys.generation, layout.configVersionKey(keys.shard)],
          [
            String(expectedVersion),
            stored,
            agentId,
            state,
            context?.change === undefined ? '' : JSON.stringify(context.change),
            deadline,
            String(layout.maxLen),
            String(layout.historyLimit),
            context?.eventId ?? '',
            generationSeed(),
            String(configVersion),
          ],
        ),
      );
      const version = Number(reply[1]);
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
      if (Number(reply[0]) !== 1) return { ok: false, conflict: true, currentVersion: version };
      written.note(keys.stream, text(reply[2]) as string);
      return { ok: true, version, generation: text(reply[3]) as string };
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
