import { CompactChangeLog } from './CompactChangeLog';
import type { HistoryStore, WorkHistoryEntry } from './ports';
import { PresenceShapes } from './PresenceShapes';

/** Distinct presence shapes (a presence's fields but `since`) stored once per store; later ones go in each row. */
const MAX_SHAPES = 4_096;

/**
 * A {@link HistoryStore} in memory, the service's default: each agent's latest `limit` changes (default 1,000),
 * the oldest dropped first. Time before the oldest change kept counts as `untracked` in `timeInStatus`.
 *
 * The changes are kept packed, not as objects: each is a row of bytes with the presences as numbers into a table
 * of the presences met (their id, base, name, text and source, stored once), times as differences from the
 * previous change and a lowercase UUID event id as 16 bytes: about 23 bytes a change (other event ids take a byte
 * a character), so a busy agent's 1,000 changes take some 25 KiB instead of 580 KiB. `read` rebuilds each
 * change as it was appended, as new objects. `forget` drops an agent's changes; the service calls it for agents it
 * forgets (`forgetSignedOutAfterMs`).
 *
 * Work entries (`appendWork`, for `service.report`'s work counts and occupancy) are kept beside the changes, each
 * agent's latest `limit` of them too, as small objects (about 200 bytes each with their strings; not counted in
 * `byteLength`). `readWork` returns new copies.
 *
 * @param options - `limit`: changes kept per agent, and work entries kept per agent (default 1,000 each)
 * @returns the history store, with `forget(agentId)`, `size` (agents with changes or work entries kept) and `byteLength` (bytes
 *   the kept changes take, room to grow included)
 * @throws TypeError when `limit` is not a whole number ≥ 1; `append` throws a TypeError naming the field of a
 *   change whose field has the wrong type (nothing is kept then)
 * @category Adapters
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createMemoryHistoryStore, createPresenceService } from 'agent-presence/service';
 * const history = createMemoryHistoryStore({ limit: 50 });
 * const service = createPresenceService({ machine: createPresenceMachine({}), history });
 * await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: '0b6f3c2e-8a41-4d5e-9f7a-2c1d3e4f5a6b' });
 * const changes = await history.read('agent-7', { from: 0, to: 5_000 });
 * console.log(changes.map((c) => `${c.to.presenceId} ${c.eventId}`)); // ['available 0b6f3c2e-8a41-4d5e-9f7a-2c1d3e4f5a6b']
 * console.log(history.size, history.byteLength); // 1 64
 * history.forget('agent-7');
 * console.log(history.size); // 0
 * ```
 */
export function createMemoryHistoryStore(options: { readonly limit?: number | undefined } = {}): HistoryStore & {
  /** Drops every change kept for the agent. */
  forget(agentId: string): void;
  /** Agents with changes or work entries kept. */
  readonly size: number;
  /** Bytes the kept changes take (their buffers, room to grow included). */
  readonly byteLength: number;
} {
  const limit = options.limit ?? 1_000;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new TypeError(`createMemoryHistoryStore: limit must be a whole number ≥ 1 (got ${String(limit)})`);
  }
  const shapes = new PresenceShapes(MAX_SHAPES);
  const logs = new Map<string, CompactChangeLog>();
  /** Each agent's work entries, oldest first, without the agent id (the key). */
  const work = new Map<string, Omit<WorkHistoryEntry, 'agentId'>[]>();
  return {
    append(change) {
      const agentId: unknown = change?.agentId;
      if (typeof agentId !== 'string') throw new TypeError(`createMemoryHistoryStore: change.agentId must be a string (got ${typeof agentId})`);
      const kept = logs.get(agentId);
      const log = kept ?? new CompactChangeLog(shapes);
      log.append(change);
      if (kept === undefined) logs.set(agentId, log);
      if (log.count > limit) log.dropOldest();
    },
    read(agentId, { from, to }) {
      return logs.get(agentId)?.read(agentId, from, to) ?? [];
    },
    appendWork(entry) {
      const problem = workEntryProblem(entry);
      if (problem !== undefined) throw new TypeError(`createMemoryHistoryStore: ${problem}`);
      const { agentId, ...kept } = entry;
      const entries = work.get(agentId) ?? [];
      entries.push(kept);
      if (entries.length === 1) work.set(agentId, entries);
      if (entries.length > limit) entries.shift();
    },
    readWork(agentId, { from, to }) {
      const entries = work.get(agentId) ?? [];
      // The last entry at or before `from` (the units held when the window starts), then those before `to`.
      let start = 0;
      for (let i = 0; i < entries.length && (entries[i] as Omit<WorkHistoryEntry, 'agentId'>).at <= from; i++) start = i;
      return entries
        .slice(start)
        .filter((entry, i) => i === 0 || entry.at < to)
        .map((entry) => ({ agentId, ...entry }));
    },
    forget(agentId) {
      logs.delete(agentId);
      work.delete(agentId);
    },
    get size() {
      return new Set([...logs.keys(), ...work.keys()]).size;
    },
    get byteLength() {
      let bytes = 0;
      for (const log of logs.values()) bytes += log.byteLength;
      return bytes;
    },
  };
}

/** What is wrong with a work entry's fields, or undefined. */
function workEntryProblem(entry: WorkHistoryEntry): string | undefined {
  const fields: [string, unknown, string][] = [
    ['agentId', entry?.agentId, 'string'],
    ['at', entry?.at, 'number'],
    ['used', entry?.used, 'number'],
    ['capacity', entry?.capacity, 'number'],
    ['version', entry?.version, 'number'],
  ];
  const wrong = fields.find(([, value, type]) => typeof value !== type || (type === 'number' && !Number.isFinite(value)));
  return wrong === undefined ? undefined : `entry.${wrong[0]} must be a ${wrong[2] === 'number' ? 'finite number' : wrong[2]} (got ${typeof wrong[1]})`;
}
