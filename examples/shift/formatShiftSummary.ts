/**
 * The shift as a text table: time in each base status per agent, work handled, offers refused, peak load; above it
 * the day's figures (wrap-ups, missed offers, disconnects and reconnects, events and ticks).
 */
import { BASE_STATUSES, type BaseStatus } from 'agent-presence';
import type { ShiftResult } from './simulateShift';

/** `3h07` for a span of milliseconds, rounded to the minute. */
export const hoursMinutes = (ms: number): string => {
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}`;
};

/** `09:41` in UTC. */
export const clock = (at: number): string => new Date(at).toISOString().slice(11, 16);

const HEADINGS: Record<BaseStatus, string> = { Available: 'Available', Busy: 'Busy', BusyDND: 'DND', Away: 'Away', Offline: 'Offline' };

export function formatShiftSummary(result: ShiftResult): string {
  const columns = ['agent', 'role', ...BASE_STATUSES.map((b) => HEADINGS[b]), 'handled', 'refused', 'peak load'];
  const rows = result.agents.map((a) => [
    a.agentId,
    a.role,
    ...BASE_STATUSES.map((b) => hoursMinutes(a.timeInBase[b])),
    String(a.handled),
    String(a.refused),
    `${Math.round((a.peakUnits / a.capacity) * 100)}% (${a.peakItems} item${a.peakItems === 1 ? '' : 's'})`,
  ]);
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ');
  const handled = result.agents.reduce((n, a) => n + a.handled, 0);
  const refused = result.agents.reduce((n, a) => n + a.refused, 0);
  return [
    `Shift ${clock(result.start)}–${clock(result.end)} UTC, seed ${result.seed}: ${result.agents.length} agents, ` +
      `${result.arrived.chat} chats and ${result.arrived.case} cases arrived, ${handled} assigned, ${refused} offers refused, ` +
      `${result.waitingAtEnd} still waiting at the end.`,
    `Peak load ${result.peakLoad.items} items at ${clock(result.peakLoad.at)} (wrap-ups included); longest queue ${result.maxQueue}, ` +
      `longest wait ${hoursMinutes(result.maxWait)}.`,
    `${result.wrapUps} wrap-ups after releases; ${result.missed} offers missed (Inactive until the agent resets); ` +
      `${result.disconnects} disconnects: ${result.reconnects.restored} back within the grace (presence restored), ` +
      `${result.reconnects.notRestored} after it (default presence).`,
    `${result.events} presence events through the service and ${result.ticks} ticks at deadlines; ` + `${result.rejections.length} refused or failed.`,
    '',
    line(columns),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
