// Example 8 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { PresenceRecord, PresenceStore, SaveResult, StoredRecord } from 'agent-presence/service';
// A store over a Map: the same contract a database adapter keeps (see docs/adapters.md).
const rows = new Map<string, { record: PresenceRecord; version: number }>();
const store: PresenceStore = {
  async load(agentId) {
    return rows.get(agentId);
  },
  async save(agentId, record, expectedVersion): Promise<SaveResult> {
    const current = rows.get(agentId)?.version ?? 0;
    if (current !== expectedVersion) return { ok: false, conflict: true, currentVersion: current };
    rows.set(agentId, { record, version: current + 1 });
    return { ok: true, version: current + 1 };
  },
  async *list(): AsyncIterable<StoredRecord> {
    for (const [agentId, row] of rows) yield { agentId, ...row };
  },
};
export {};
