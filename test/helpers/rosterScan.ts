import type { PresenceMachine } from '../../src/index';
import type { PresenceRecord, RosterCandidate, RosterQuery } from '../../src/service/index';

/** What a roster answer is compared on. */
export interface ScanRow {
  readonly agentId: string;
  readonly freeUnits: number;
  readonly idleSince: number;
  readonly lastRoutedAt: number | undefined;
  readonly workItems: number;
  readonly presenceId: string;
  readonly freeByProfile: Readonly<Record<string, number>>;
}

export const rowsOf = (found: readonly RosterCandidate[]): ScanRow[] =>
  found.map(({ agentId, freeUnits, idleSince, lastRoutedAt, workItems, presence, freeByProfile }) => ({
    agentId,
    freeUnits,
    idleSince,
    lastRoutedAt,
    workItems,
    presenceId: presence.presenceId,
    freeByProfile,
  }));

/** Items of each capacity profile that still fit: maxItems less those held, within maxWorkItems, 0 when refused. */
function freeByProfile(machine: PresenceMachine, state: PresenceRecord['state']): Record<string, number> {
  const profile = machine.profileOf(state.agentId);
  const out: Record<string, number> = {};
  const itemsLeft = profile.maxWorkItems === undefined ? Infinity : profile.maxWorkItems - state.work.length;
  for (const [name, limits] of Object.entries(machine.capacityOf(state).profiles)) {
    const held = state.work.filter((item) => item.profile === name).length;
    out[name] = machine.canTake(state, { units: 0, profile: name }) ? Math.max(0, Math.min(limits.max - held, itemsLeft)) : 0;
  }
  return out;
}

const cmp = <T extends number | string>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The answer of a full scan, written apart from the roster index: every stored agent with the right presence, not
 * excluded, that `canTake` accepts, ranked by the documented order with the documented defaults, the first `limit`.
 * Idle since: the latest of the presence's since, the work held's since, the record's `routing.workEndedAt`.
 */
export function rosterScan(machine: PresenceMachine, records: readonly PresenceRecord[], query: RosterQuery): ScanRow[] {
  const units = query.units ?? 0;
  const bases = query.bases ?? ['Available', 'Busy'];
  const order = query.order ?? 'mostFree';
  const limit = query.limit ?? 10;
  const request = query.profile === undefined ? { units } : { units, profile: query.profile };
  const rows: ScanRow[] = [];
  for (const { state, routing } of records) {
    if (!bases.includes(state.base)) continue;
    if (query.presenceIds !== undefined && !query.presenceIds.includes(state.presenceId)) continue;
    if (query.exclude?.includes(state.agentId)) continue;
    if (!machine.canTake(state, request)) continue;
    let used = 0;
    let idleSince = Math.max(state.since, routing?.workEndedAt ?? -Infinity);
    for (const item of state.work) {
      used += item.units;
      idleSince = Math.max(idleSince, item.since);
    }
    const freeUnits = machine.profileOf(state.agentId).capacity - used;
    rows.push({
      agentId: state.agentId,
      freeUnits,
      idleSince,
      lastRoutedAt: routing?.routedAt,
      workItems: state.work.length,
      presenceId: state.presenceId,
      freeByProfile: freeByProfile(machine, state),
    });
  }
  const after = query.after;
  const lap = (r: ScanRow) => (after !== undefined && r.agentId <= after ? 1 : 0);
  rows.sort((a, b) => {
    switch (order) {
      case 'mostFree':
        return cmp(b.freeUnits, a.freeUnits) || cmp(a.idleSince, b.idleSince) || cmp(a.agentId, b.agentId);
      case 'longestIdle':
        return cmp(a.idleSince, b.idleSince) || cmp(b.freeUnits, a.freeUnits) || cmp(a.agentId, b.agentId);
      case 'leastRecentlyOffered':
        return cmp(a.lastRoutedAt ?? -Infinity, b.lastRoutedAt ?? -Infinity) || cmp(a.idleSince, b.idleSince) || cmp(a.agentId, b.agentId);
      case 'roundRobin':
        return cmp(lap(a), lap(b)) || cmp(a.agentId, b.agentId);
    }
  });
  return rows.slice(0, limit);
}
