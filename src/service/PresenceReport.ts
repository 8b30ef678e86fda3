import { BASE_STATUSES, type BaseStatus, type ResolvedPresence } from '../core/index';
import type { PresenceChange, TimeWindow, WorkEventKind, WorkHistoryEntry } from './ports';
import { computeTimeInStatus, presenceTimeline, type TimeInStatus } from './timeInStatus';

/**
 * What `service.report` is asked: a window, and the agents (a team) to report on, or every agent the store holds.
 *
 * @category History
 * @example
 * ```ts
 * import type { ReportRequest } from 'agent-presence/service';
 * const shift: ReportRequest = { agentIds: ['agent-7', 'agent-8'], from: Date.UTC(2026, 0, 5, 9), to: Date.UTC(2026, 0, 5, 17) };
 * ```
 */
export interface ReportRequest extends TimeWindow {
  /** The agents to report on, at most 10,000 (repeats counted once); absent: every agent in the store. */
  readonly agentIds?: readonly string[] | undefined;
}

/**
 * How many of each work event a report counts (accepted ones only).
 *
 * @category History
 * @example
 * ```ts
 * import type { WorkCounts } from 'agent-presence/service';
 * const counts: WorkCounts = { assigned: 12, released: 11, missed: 1, rejected: 0 };
 * ```
 */
export type WorkCounts = Readonly<Record<WorkEventKind, number>>;

/**
 * One agent's part of a report: time in each presence and base status (as `timeInStatus`), time signed in, occupancy
 * and work counts.
 *
 * @category History
 * @example
 * ```ts
 * import type { AgentReport } from 'agent-presence/service';
 * const line = (r: AgentReport) => `${r.agentId}: ${Math.round((r.occupancy ?? 0) * 100)} % busy, ${r.work?.assigned ?? 0} assigned`;
 * ```
 */
export interface AgentReport extends TimeInStatus {
  readonly agentId: string;
  /** Milliseconds of the window the agent was signed in (any base but Offline), as far as the history tells. */
  readonly signedInMs: number;
  /**
   * Capacity used over signed-in time, weighted by units: the units held times the time held, over the agent's
   * capacity times the time signed in (0 to 1). Absent without signed-in time, without capacity, or when the
   * history keeps no work entries (no `readWork`).
   */
  readonly occupancy?: number;
  /** Work events in the window; absent when the history keeps no work entries (no `readWork`). */
  readonly work?: WorkCounts;
  /** The unit-milliseconds behind `occupancy`: units held and capacity, over signed-in time; absent with `work`. */
  readonly unitMs?: { readonly used: number; readonly capacity: number };
}

/**
 * The answer of `service.report`: every agent's {@link AgentReport} (in the order asked, or the store's), and the
 * totals over them (occupancy weighted by each agent's capacity and time signed in).
 *
 * @category History
 * @example
 * ```ts
 * import type { PresenceReport } from 'agent-presence/service';
 * const summary = (r: PresenceReport) => `${r.totals.agents} agents, ${r.totals.work?.assigned ?? 0} assigned`;
 * ```
 */
export interface PresenceReport {
  readonly from: number;
  readonly to: number;
  readonly agents: readonly AgentReport[];
  readonly totals: Omit<AgentReport, 'agentId' | 'from' | 'to'> & { readonly agents: number };
}

/** A stretch of time with the units held and the capacity then. */
interface WorkStep {
  readonly at: number;
  readonly used: number;
  readonly capacity: number;
}

/**
 * One agent's report from its presence changes and work entries. `current` stands in for a change the history does
 * not have yet (as in `timeInStatus`); before the earliest work entry known, the agent holds nothing, with
 * `capacity` (its profile's now).
 *
 * @internal
 */
export function computeAgentReport(
  agentId: string,
  changes: readonly PresenceChange[],
  entries: readonly WorkHistoryEntry[] | undefined,
  current: ResolvedPresence | undefined,
  capacity: number,
  window: TimeWindow,
): AgentReport {
  const time = computeTimeInStatus(changes, current, window);
  const signedInMs = BASE_STATUSES.reduce((sum, base) => (base === 'Offline' ? sum : sum + time.byBase[base]), 0);
  if (entries === undefined) return { agentId, ...time, signedInMs };
  const { from, to } = window;
  const work = noWork();
  // An entry a history of one's own gives that cannot be used (not finite, a kind not known) is passed over, as the
  // Redis history does: one bad entry never turns the agent's (and the team's) sums into NaN.
  const usable = entries.filter((entry) => isUsable(entry, work));
  for (const entry of usable) if (entry.kind !== undefined && entry.at >= from && entry.at < to) work[entry.kind]++;
  const steps: WorkStep[] = [
    { at: -Infinity, used: 0, capacity },
    ...usable.sort((a, b) => a.at - b.at || a.version - b.version).map(({ at, used, capacity: c }) => ({ at, used, capacity: c })),
  ];
  const unitMs = { used: 0, capacity: 0 };
  // Two ordered timelines walked together: each stretch signed in, clipped to the window, met with the work steps.
  const timeline = presenceTimeline(changes, current);
  let step = 0;
  timeline.forEach(({ at, presence }, index) => {
    if (presence.base === 'Offline') return;
    let start = Math.max(at, from);
    const end = Math.min(timeline[index + 1]?.at ?? to, to);
    while (start < end) {
      while (step + 1 < steps.length && (steps[step + 1] as WorkStep).at <= start) step++;
      const held = steps[step] as WorkStep;
      const until = Math.min(end, steps[step + 1]?.at ?? Infinity);
      unitMs.used += held.used * (until - start);
      unitMs.capacity += held.capacity * (until - start);
      start = until;
    }
  });
  return { agentId, ...time, signedInMs, ...occupancyOf(unitMs), work, unitMs };
}

/**
 * The totals of a report: sums, and occupancy over the sums of unit-milliseconds; work and occupancy only when the
 * history keeps work entries (`tracksWork`).
 *
 * @internal
 */
export function reportTotals(agents: readonly AgentReport[], tracksWork: boolean): PresenceReport['totals'] {
  const byPresence = new Map<string, number>();
  const byBase = Object.fromEntries(BASE_STATUSES.map((base) => [base, 0])) as Record<BaseStatus, number>;
  let untracked = 0;
  let signedInMs = 0;
  const work = noWork();
  const unitMs = { used: 0, capacity: 0 };
  for (const agent of agents) {
    for (const [id, ms] of Object.entries(agent.byPresence)) byPresence.set(id, (byPresence.get(id) ?? 0) + ms);
    for (const base of BASE_STATUSES) byBase[base] += agent.byBase[base];
    untracked += agent.untracked;
    signedInMs += agent.signedInMs;
    for (const kind of Object.keys(work) as WorkEventKind[]) work[kind] += agent.work?.[kind] ?? 0;
    unitMs.used += agent.unitMs?.used ?? 0;
    unitMs.capacity += agent.unitMs?.capacity ?? 0;
  }
  const totals = { agents: agents.length, byPresence: Object.fromEntries(byPresence), byBase, untracked, signedInMs };
  return tracksWork ? { ...totals, ...occupancyOf(unitMs), work, unitMs } : totals;
}

/** Whether a work entry can be counted: finite time and units, and a kind that `work` counts, or none. */
function isUsable(entry: WorkHistoryEntry | null | undefined, work: WorkCounts): entry is WorkHistoryEntry {
  if (typeof entry !== 'object' || entry === null) return false;
  const { at, used, capacity, kind } = entry as { [K in keyof WorkHistoryEntry]: unknown };
  const finite = [at, used, capacity].every((n) => typeof n === 'number' && Number.isFinite(n));
  return finite && (kind === undefined || (typeof kind === 'string' && Object.hasOwn(work, kind)));
}

/** Work counts of nothing yet, to count into. */
function noWork(): Record<WorkEventKind, number> {
  return { assigned: 0, released: 0, missed: 0, rejected: 0 };
}

/** `{ occupancy }` from unit-milliseconds, or nothing when there is no capacity to measure against. */
function occupancyOf(unitMs: { readonly used: number; readonly capacity: number }): { occupancy?: number } {
  return unitMs.capacity > 0 ? { occupancy: Math.min(1, unitMs.used / unitMs.capacity) } : {};
}
