/**
 * The memory history as it was before it packed its changes: the changes themselves in an array per agent, the
 * oldest dropped past `limit`, a binary search for the window. The compact one must answer every read as this one.
 */
import type { HistoryStore, PresenceChange } from '../../src/service/index';

export function referenceHistory(limit = 1_000): HistoryStore {
  const logs = new Map<string, PresenceChange[]>();
  return {
    append(change) {
      let log = logs.get(change.agentId);
      if (log === undefined) logs.set(change.agentId, (log = []));
      log.push(change);
      if (log.length > limit) log.shift();
    },
    read(agentId, { from, to }) {
      const log = logs.get(agentId) ?? [];
      let lo = 0;
      let hi = log.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((log[mid] as PresenceChange).at <= from) lo = mid + 1;
        else hi = mid;
      }
      const start = Math.max(0, lo - 1);
      let end = lo;
      while (end < log.length && (log[end] as PresenceChange).at < to) end++;
      return log.slice(start, end);
    },
  };
}
