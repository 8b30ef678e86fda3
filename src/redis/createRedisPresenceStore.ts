import { snapshot } from '../schema/snapshot';
import type { PresenceRecord, PresenceStore, SaveContext, SaveResult, StoredRecord, VersionedRecord } from '../service/index';
import { restoreRecord } from '../service/index';
import type { RedisCommandClient } from './RedisCommandClient';
import { generationSeed, list, runScript, SAVE_SCRIPT, send, text } from './redisCommands';
import { resolveLayout, type RedisLayout } from './redisLayout';
import type { RedisPresenceOptions } from './RedisPresenceOptions';
import { writtenStreamIds } from './writtenStreamIds';

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
    generation: layout.generationKey(shard),
  };
}

/** An agent's record as `HMGET v r g` returned it; undefined when nothing is stored. */
function readRecord(reply: unknown): VersionedRecord | undefined {
  const [version, record, generation] = list(reply).map(text);
  if (version === undefined || record === undefined) return undefined;
  return { record: restoreRecord(record), version: Number(version), ...(generation !== undefined ? { generation } : {}) };
}

/**
 * A {@link PresenceStore} on Redis, for services in several processes sharing agents.
 *
 * - `save` is one Lua script: it compares the stored version with the expected one and, only when they match,
 *   writes the record (`snapshotRecord` JSON, the schema module's versioned snapshot with the remembered event
 *   ids) under the next version, appends the save to the shard's change stream (the saved state, the event id,
 *   and the presence change when there is one), the change to the agent's capped history, and the state's next
 *   deadline to the shard's timers. All of it or none: no stream entry without its save, no save missing from
 *   the stream. A version that moved on is a conflict and writes nothing; no WATCH, no MULTI. The shard's
 *   generation (made by the save when it is missing: a new deployment, or the data was lost) goes with the record,
 *   the stream entry and the change, and `save` and `load` return it (see `StoreGeneration`).
 * - `load` reads the record back with `restoreRecord` (every field checked; a bad one throws
 *   `PresenceSnapshotError` naming its path).
 * - `list` walks each shard's agent set with `SSCAN`, a page at a time (an agent may come twice; the service
 *   keeps the latest version).
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

  return {
    keysOf,

    async load(agentId) {
      return readRecord(await send(client, ['HMGET', layout.recordKey(agentId), 'v', 'r', 'g']));
    },

    async save(agentId: string, record: PresenceRecord, expectedVersion: number, context?: SaveContext): Promise<SaveResult> {
      const keys = keysOf(agentId);
      const state = JSON.stringify(snapshot(record.state));
      // snapshotRecord(record) as text, without writing the state twice: `{ schemaVersion, state, seen }`.
      const stored = `${state.slice(0, -1)},"seen":${JSON.stringify(record.seen)}}`;
      const deadline = context === undefined ? '-' : context.nextDeadline === undefined ? '' : String(context.nextDeadline);
      const reply = list(
        await runScript(
          client,
          SAVE_SCRIPT,
          [keys.record, keys.agents, keys.stream, keys.history, keys.deadlines, keys.timers, keys.generation],
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
          ],
        ),
      );
      const version = Number(reply[1]);
      if (Number(reply[0]) !== 1) return { ok: false, conflict: true, currentVersion: version };
      written.note(keys.stream, text(reply[2]) as string);
      return { ok: true, version, generation: text(reply[3]) as string };
    },

    async *list(): AsyncIterable<StoredRecord> {
      for (let shard = 0; shard < layout.shards; shard++) {
        let cursor = '0';
        do {
          const [next, members] = list(await send(client, ['SSCAN', layout.agentsKey(shard), cursor, 'COUNT', '200']));
          cursor = text(next) ?? '0';
          const ids = list(members).map((member) => text(member) as string);
          const loaded = await Promise.all(
            ids.map(async (agentId) => ({ agentId, stored: readRecord(await send(client, ['HMGET', layout.recordKey(agentId), 'v', 'r', 'g'])) })),
          );
          for (const { agentId, stored } of loaded) if (stored !== undefined) yield { agentId, ...stored };
        } while (cursor !== '0');
      }
    },
  };
}
