import type { SeenEvent, StoreGeneration } from './ports';

/**
 * The dedup bookkeeping of one agent's record: event ids applied within the window, newest last.
 *
 * An id is remembered from when it was first applied (service clock) for `windowMs`, and an agent keeps at most
 * `maxIds` of them, the oldest dropped first; an id forgotten either way is applied again if it comes back.
 */
export interface DedupPolicy {
  readonly windowMs: number;
  readonly maxIds: number;
}

/** The earlier outcome of `eventId`, when it was applied within the window. */
export function findSeen(seen: readonly SeenEvent[], eventId: string, now: number, policy: DedupPolicy): SeenEvent | undefined {
  for (let i = seen.length - 1; i >= 0; i--) {
    const entry = seen[i] as SeenEvent;
    if (entry.eventId === eventId) return now - entry.seenAt <= policy.windowMs ? entry : undefined;
  }
  return undefined;
}

/** The ids still in the window, plus `entry` when given, at most `maxIds`, oldest dropped first. */
export function rememberSeen(seen: readonly SeenEvent[], entry: SeenEvent | undefined, now: number, policy: DedupPolicy): readonly SeenEvent[] {
  const kept = seen.filter((e) => now - e.seenAt <= policy.windowMs && e.eventId !== entry?.eventId);
  if (entry !== undefined) kept.push(entry);
  return kept.length > policy.maxIds ? kept.slice(kept.length - policy.maxIds) : kept;
}

/**
 * The ids as loaded from a record stored under `version`: the entry its save wrote carries version 0 ("the version
 * of the record that holds me"), read here as `version`. Returns `seen` itself when no entry has 0.
 */
export function seenAtVersion(seen: readonly SeenEvent[], version: number, generation?: StoreGeneration): readonly SeenEvent[] {
  return seen.some((e) => e.version === 0)
    ? seen.map((e) => (e.version === 0 ? { ...e, version, ...(generation !== undefined ? { generation } : {}) } : e))
    : seen;
}
