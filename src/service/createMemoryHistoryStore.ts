import type { HistoryStore, PresenceChange } from './ports';

/**
 * A {@link HistoryStore} in memory, the service's default: each agent's latest `limit` changes (default 1,000),
 * the oldest dropped first. Time before the oldest change kept counts as `untracked` in `timeInStatus`.
 *
 * @param options - `limit`: changes kept per agent (default 1,000)
 * @returns the history store
 * @category Adapters
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createMemoryHistoryStore, createPresenceService } from 'agent-presence/service';
 * const history = createMemoryHistoryStore({ limit: 50 });
 * const service = createPresenceService({ machine: createPresenceMachine({}), history });
 * await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
 * const changes = await history.read('agent-7', { from: 0, to: 5_000 });
 * console.log(changes.map((c) => c.to.presenceId)); // ['available']
 * ```
 */
export function createMemoryHistoryStore(options: { readonly limit?: number | undefined } = {}): HistoryStore {
  const limit = options.limit ?? 1_000;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new TypeError(`createMemoryHistoryStore: limit must be a whole number ≥ 1 (got ${String(limit)})`);
  }
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
      // The first change after `from`; the one before it (if any) is the presence the window starts in.
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
