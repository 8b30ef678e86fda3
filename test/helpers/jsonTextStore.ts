/**
 * A store that keeps each record as JSON text, as a database adapter does (docs/adapters.md): `load` reads it back
 * with `restoreRecord` (an unreadable row throws `UnreadableRecordError` with its version and text), `list` hands
 * unreadable rows to `onUnreadable`, `readForRepair` returns the text, `forget` compares and deletes. `put` writes a row by hand (a bad
 * migration, an edit), `conflictOnce` has the next save lose to "another writer".
 */
import {
  restoreRecord,
  snapshotRecord,
  UnreadableRecordError,
  type PresenceStore,
  type SaveResult,
  type StoredRecord,
  type UncheckedRecord,
} from '../../src/service/index';

export function createJsonTextStore(): PresenceStore & {
  readonly rows: Map<string, { version: number; text: string }>;
  put(agentId: string, text: string, version?: number): void;
  conflictOnce(): void;
  readForRepair(agentId: string): Promise<UncheckedRecord | undefined>;
} {
  const rows = new Map<string, { version: number; text: string }>();
  let conflict = false;
  return {
    rows,
    put(agentId, text, version = (rows.get(agentId)?.version ?? 0) + 1) {
      rows.set(agentId, { version, text });
    },
    conflictOnce() {
      conflict = true;
    },
    async load(agentId) {
      const row = rows.get(agentId);
      if (row === undefined) return undefined;
      try {
        return { record: restoreRecord(row.text), version: row.version };
      } catch (cause) {
        throw new UnreadableRecordError(agentId, cause, { version: row.version, record: row.text });
      }
    },
    async forget(agentId, expectedVersion) {
      return rows.get(agentId)?.version === expectedVersion && rows.delete(agentId);
    },
    async save(agentId, record, expectedVersion): Promise<SaveResult> {
      if (conflict) {
        conflict = false;
        const row = rows.get(agentId);
        if (row !== undefined) rows.set(agentId, { ...row, version: row.version + 1 });
      }
      const current = rows.get(agentId)?.version ?? 0;
      if (current !== expectedVersion) return { ok: false, conflict: true, currentVersion: current };
      rows.set(agentId, { version: current + 1, text: JSON.stringify(snapshotRecord(record)) });
      return { ok: true, version: current + 1 };
    },
    async *list(onUnreadable): AsyncIterable<StoredRecord> {
      for (const [agentId, row] of [...rows]) {
        let record;
        try {
          record = restoreRecord(row.text);
        } catch (cause) {
          const error = new UnreadableRecordError(agentId, cause, { version: row.version, record: row.text });
          if (onUnreadable === undefined) throw error;
          onUnreadable(error);
          continue;
        }
        yield { agentId, version: row.version, record };
      }
    },
    async readForRepair(agentId) {
      const row = rows.get(agentId);
      return row && { version: row.version, record: row.text };
    },
  };
}
