import { SNAPSHOT_SCHEMA_VERSION } from '../schema/snapshot';
import type { PresenceRecord, PresenceStore, SaveResult, StoredRecord, UncheckedRecord, VersionedRecord } from './ports';

/**
 * A {@link PresenceStore} in memory, the service's default: records in a `Map`, compare-and-set by version.
 * It keeps the records it is given as they are (the service never changes a record after saving it) and loses
 * them with the process; use it for tests, demos and single-process hosts that rebuild presence at start.
 * `forget` (compare-and-delete) lets the service drop agents signed out for `forgetSignedOutAfterMs`. `list` yields
 * the agents stored when it starts, each as stored when it is reached (one forgotten meanwhile is left out).
 * `readForRepair` returns a record as kept (`{ schemaVersion: 1, state, seen }`), for `repairAgent` to check and
 * replace a record that was saved broken (the store does not check what it is given).
 *
 * @returns the store, with `size` (agents stored)
 * @category Adapters
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createMemoryPresenceStore } from 'agent-presence/service';
 * const store = createMemoryPresenceStore();
 * const record = { state: createPresenceMachine({}).initialState('agent-7'), seen: [] };
 * console.log(await store.save('agent-7', record, 0)); // { ok: true, version: 1 }
 * console.log(await store.save('agent-7', record, 0)); // { ok: false, conflict: true, currentVersion: 1 }
 * console.log(store.size); // 1
 * console.log(await store.forget('agent-7', 2), await store.forget('agent-7', 1)); // false true
 * console.log(store.size, await store.load('agent-7')); // 0 undefined
 * ```
 */
export function createMemoryPresenceStore(): PresenceStore & {
  readonly size: number;
  /**
   * Deletes the agent's record if it is still at `expectedVersion` (compare-and-delete, as `save` compares).
   *
   * @param agentId - the agent
   * @param expectedVersion - the version the caller read
   * @returns true when the record was deleted; false when another write came first (or nothing was stored)
   */
  forget(agentId: string, expectedVersion: number): Promise<boolean>;
  /**
   * The agent's record as kept, not checked, as a snapshot (`{ schemaVersion: 1, state, seen }`), and its version.
   *
   * @param agentId - the agent
   * @returns undefined when nothing is stored
   */
  readForRepair(agentId: string): Promise<UncheckedRecord | undefined>;
} {
  const rows = new Map<string, VersionedRecord>();
  return {
    get size() {
      return rows.size;
    },
    async load(agentId) {
      return rows.get(agentId);
    },
    async save(agentId: string, record: PresenceRecord, expectedVersion: number): Promise<SaveResult> {
      const current = rows.get(agentId)?.version ?? 0;
      if (current !== expectedVersion) return { ok: false, conflict: true, currentVersion: current };
      const version = current + 1;
      rows.set(agentId, { record, version });
      return { ok: true, version };
    },
    async forget(agentId: string, expectedVersion: number): Promise<boolean> {
      if (rows.get(agentId)?.version !== expectedVersion) return false;
      return rows.delete(agentId);
    },
    async readForRepair(agentId: string): Promise<UncheckedRecord | undefined> {
      const row = rows.get(agentId);
      if (row === undefined) return undefined;
      const record = row.record as Partial<PresenceRecord> | null | undefined;
      return { version: row.version, record: { schemaVersion: SNAPSHOT_SCHEMA_VERSION, state: record?.state, seen: record?.seen } };
    },
    // Nothing here is ever unreadable: records are kept as the service gave them.
    async *list(): AsyncIterable<StoredRecord> {
      // The ids only, each row read as it is when reached: a slow reader (the service's background forgetting)
      // must not keep every agent's record of the time it started alive.
      for (const agentId of [...rows.keys()]) {
        const row = rows.get(agentId);
        if (row !== undefined) yield { agentId, record: row.record, version: row.version };
      }
    },
  };
}
