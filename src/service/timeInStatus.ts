import { BASE_STATUSES, type BaseStatus, type ResolvedPresence } from '../core/index';
import type { PresenceChange, TimeWindow } from './ports';

/**
 * How an agent's time in a window was spent, in milliseconds: per presence id and per base status. Time the
 * history cannot account for (before the first change it knows of) is `untracked`, so
 * `sum(byBase) + untracked === to - from` always holds.
 *
 * @category History
 * @example
 * ```ts
 * import type { TimeInStatus } from 'agent-presence/service';
 * const share = (t: TimeInStatus) => t.byBase.Available / (t.to - t.from);
 * ```
 */
export interface TimeInStatus {
  readonly from: number;
  readonly to: number;
  /** Milliseconds per presence id; ids the agent did not hold in the window are left out. */
  readonly byPresence: Readonly<Record<string, number>>;
  /** Milliseconds per base status, all five present. */
  readonly byBase: Readonly<Record<BaseStatus, number>>;
  /** Milliseconds of the window before the earliest change known. */
  readonly untracked: number;
}

/**
 * The presences in order of time, each from its `at` until the next one's: the changes, then `current` (the agent's
 * presence now, with its `since`) when the history does not have it yet.
 *
 * @internal
 */
export function presenceTimeline(
  changes: readonly PresenceChange[],
  current: ResolvedPresence | undefined,
): { readonly at: number; readonly presence: ResolvedPresence }[] {
  const timeline = [...changes].sort((a, b) => a.at - b.at || a.version - b.version).map((change) => ({ at: change.at, presence: change.to }));
  const last = timeline[timeline.length - 1];
  if (current !== undefined && (last === undefined || current.since > last.at)) timeline.push({ at: current.since, presence: current });
  return timeline;
}

/**
 * Sums the intervals between changes, each clipped to the window; the latest presence lasts until `to`.
 * `current` (the agent's presence now, with its `since`) stands in for a change the history does not have yet.
 *
 * @internal
 */
export function computeTimeInStatus(changes: readonly PresenceChange[], current: ResolvedPresence | undefined, { from, to }: TimeWindow): TimeInStatus {
  const timeline = presenceTimeline(changes, current);

  const byPresence = new Map<string, number>();
  const byBase = Object.fromEntries(BASE_STATUSES.map((base) => [base, 0])) as Record<BaseStatus, number>;
  timeline.forEach(({ at, presence }, index) => {
    const start = Math.max(at, from);
    const end = Math.min(timeline[index + 1]?.at ?? to, to);
    if (end <= start) return;
    byPresence.set(presence.presenceId, (byPresence.get(presence.presenceId) ?? 0) + (end - start));
    byBase[presence.base] += end - start;
  });
  const first = timeline[0]?.at ?? to;
  return { from, to, byPresence: Object.fromEntries(byPresence), byBase, untracked: Math.max(0, Math.min(first, to) - from) };
}
