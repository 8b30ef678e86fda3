/**
 * The team table, from the service's report over the shift: a row per team (the agents of one role) and one for the
 * whole floor, each with its agents, time signed in, occupancy (units held over capacity while signed in), work
 * assigned, released, missed and rejected, and time in each signed-in base status (agent-hours, summed over the team).
 * `formatTeamTable` prints it under the summary and the HTML page shows the same cells.
 */
import type { BaseStatus } from 'agent-presence';
import type { PresenceReport } from 'agent-presence/service';
import { hoursMinutes } from './formatShiftSummary';
import type { ShiftResult } from './simulateShift';

/** The signed-in base statuses the table gives time for (Offline is the rest of the shift: see `signed in`). */
export const TEAM_TABLE_BASES: readonly Exclude<BaseStatus, 'Offline'>[] = ['Available', 'Busy', 'BusyDND', 'Away'];

const HEADINGS: Readonly<Record<Exclude<BaseStatus, 'Offline'>, string>> = { Available: 'Available', Busy: 'Busy', BusyDND: 'DND', Away: 'Away' };

/** One row: the team's name and its report's totals, each cell as shown and, for times, in milliseconds. */
export interface TeamRow {
  /** A role, or `all` for the whole floor. */
  readonly team: string;
  readonly totals: PresenceReport['totals'];
  /** The cells in the order of {@link TeamTable.columns}, the team's name first. */
  readonly cells: readonly string[];
}

export interface TeamTable {
  readonly columns: readonly string[];
  readonly rows: readonly TeamRow[];
}

/** `47%` for an occupancy of 0.47; `–` when the report has none (no signed-in time or no capacity). */
export const percent = (occupancy: number | undefined): string => (occupancy === undefined ? '–' : `${Math.round(occupancy * 100)}%`);

/** The team table of a shift: its teams in order, then `all`. */
export function teamTable(result: ShiftResult): TeamTable {
  const columns = ['team', 'agents', 'signed in', 'occupancy', 'assigned', 'released', 'missed', 'rejected', ...TEAM_TABLE_BASES.map((b) => HEADINGS[b])];
  const row = (team: string, totals: PresenceReport['totals']): TeamRow => ({
    team,
    totals,
    cells: [
      team,
      String(totals.agents),
      hoursMinutes(totals.signedInMs),
      percent(totals.occupancy),
      String(totals.work?.assigned ?? 0),
      String(totals.work?.released ?? 0),
      String(totals.work?.missed ?? 0),
      String(totals.work?.rejected ?? 0),
      ...TEAM_TABLE_BASES.map((b) => hoursMinutes(totals.byBase[b])),
    ],
  });
  return { columns, rows: [...result.teams.map((t) => row(t.team, t.report.totals)), row('all', result.everyone.totals)] };
}

/** The team table as text, a title line above it: the team left-aligned, the figures right-aligned. */
export function formatTeamTable(result: ShiftResult): string {
  const { columns, rows } = teamTable(result);
  const cells = rows.map((r) => r.cells);
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] as string).length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ');
  return [
    'Teams (service.report over the shift; times in agent-hours, occupancy = units held over capacity while signed in):',
    '',
    line(columns),
    line(widths.map((w) => '─'.repeat(w))),
    ...cells.map(line),
  ].join('\n');
}
