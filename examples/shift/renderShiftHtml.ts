/**
 * The shift as one self-contained HTML page (no scripts, fonts or images from elsewhere): an SVG timeline per
 * agent, each stretch coloured by base status and labelled with the presence text, then the summary table and the
 * team table (the service's report per role, and for the whole floor).
 * Each stretch is a `<rect>` carrying `data-agent`, `data-from`, `data-to`, `data-base` and `data-text`, and each
 * team row `data-team` (its time cells `data-base` and `data-ms`), so tools (and the tests) can read the page back.
 */
import { BASE_STATUSES, type BaseStatus } from 'agent-presence';
import { clock, hoursMinutes } from './formatShiftSummary';
import type { ShiftResult } from './simulateShift';
import { TEAM_TABLE_BASES, teamTable } from './teamTable';

export const BASE_COLOURS: Readonly<Record<BaseStatus, string>> = {
  Available: '#2e9e4f',
  Busy: '#d64545',
  BusyDND: '#8e1b1b',
  Away: '#e8b10c',
  Offline: '#b8bcc2',
};
const INK: Readonly<Record<BaseStatus, string>> = { Available: '#fff', Busy: '#fff', BusyDND: '#fff', Away: '#222', Offline: '#222' };

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const WIDTH = 1100;
const LABEL = 110;
const ROW = 26;
const BAR = 20;
const CHAR = 6.2; // px per character of the 11px label font, roughly

export function renderShiftHtml(result: ShiftResult): string {
  const span = result.end - result.start;
  const plot = WIDTH - LABEL - 30;
  const x = (at: number): number => LABEL + ((at - result.start) / span) * plot;
  const top = 28;
  const height = top + result.agents.length * ROW + 10;

  const hours: string[] = [];
  for (let at = result.start; at <= result.end; at += 3_600_000) {
    hours.push(
      `<line x1="${x(at).toFixed(1)}" y1="${top - 6}" x2="${x(at).toFixed(1)}" y2="${height - 8}" class="grid"/>` +
        `<text x="${x(at).toFixed(1)}" y="${top - 10}" class="hour">${clock(at)}</text>`,
    );
  }
  const rows = result.agents.map((agent, i) => {
    const y = top + i * ROW;
    const bars = agent.segments.map((s) => {
      const left = x(s.from);
      const width = Math.max(0, x(s.to) - left);
      const tip = `${agent.agentId} ${clock(s.from)}–${clock(s.to)} ${s.text} (${s.base}, ${s.source}, ${hoursMinutes(s.to - s.from)})`;
      const label =
        width > s.text.length * CHAR + 6
          ? `<text x="${(left + 4).toFixed(1)}" y="${y + BAR / 2 + 4}" fill="${INK[s.base]}" class="bar">${escape(s.text)}</text>`
          : '';
      return (
        `<g><title>${escape(tip)}</title><rect x="${left.toFixed(2)}" y="${y}" width="${width.toFixed(2)}" height="${BAR}" ` +
        `fill="${BASE_COLOURS[s.base]}" data-agent="${escape(agent.agentId)}" data-from="${s.from}" data-to="${s.to}" ` +
        `data-base="${s.base}" data-text="${escape(s.text)}"/>${label}</g>`
      );
    });
    return `<text x="${LABEL - 8}" y="${y + BAR / 2 + 4}" class="name">${escape(agent.agentId)}</text>${bars.join('')}`;
  });

  const legend = BASE_STATUSES.map((base) => `<span class="key"><span class="swatch" style="background:${BASE_COLOURS[base]}"></span>${base}</span>`).join('');
  const head = ['agent', 'role', ...BASE_STATUSES, 'handled', 'refused', 'peak load'].map((h) => `<th>${h}</th>`).join('');
  const body = result.agents
    .map(
      (a) =>
        `<tr><td>${escape(a.agentId)}</td><td>${a.role}</td>` +
        BASE_STATUSES.map((b) => `<td data-base="${b}" data-ms="${a.timeInBase[b]}">${hoursMinutes(a.timeInBase[b])}</td>`).join('') +
        `<td>${a.handled}</td><td>${a.refused}</td><td>${Math.round((a.peakUnits / a.capacity) * 100)}% (${a.peakItems})</td></tr>`,
    )
    .join('\n');
  const handled = result.agents.reduce((n, a) => n + a.handled, 0);
  const refused = result.agents.reduce((n, a) => n + a.refused, 0);

  const teams = teamTable(result);
  const teamHead = teams.columns.map((h) => `<th>${escape(h)}</th>`).join('');
  const firstTime = teams.columns.length - TEAM_TABLE_BASES.length;
  const teamBody = teams.rows
    .map(
      ({ team, totals, cells }) =>
        `<tr data-team="${escape(team)}"${team === 'all' ? ' class="all"' : ''}>` +
        cells
          .map((cell, i) => {
            const base = TEAM_TABLE_BASES[i - firstTime];
            return base === undefined ? `<td>${escape(cell)}</td>` : `<td data-base="${base}" data-ms="${totals.byBase[base]}">${escape(cell)}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>agent-presence — simulated shift, seed ${result.seed}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  p { margin: 4px 0 12px; color: #444; }
  .key { margin-right: 16px; white-space: nowrap; }
  .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
  svg text { font: 11px system-ui, sans-serif; }
  .name { text-anchor: end; font-weight: 600; }
  .hour { text-anchor: middle; fill: #666; }
  .grid { stroke: #ddd; }
  rect { stroke: #fff; stroke-width: 0.5; }
  table { border-collapse: collapse; margin-top: 16px; }
  th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; }
  th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
  h2 { font-size: 16px; margin: 24px 0 4px; }
  table.teams th:nth-child(2), table.teams td:nth-child(2) { text-align: right; }
  table.teams tr.all td { font-weight: 600; border-top: 1px solid #ccc; }
</style>
</head>
<body>
<h1>A simulated shift, ${clock(result.start)}–${clock(result.end)} UTC</h1>
<p>Seed ${result.seed}: ${result.agents.length} agents; ${result.arrived.chat} chats and ${result.arrived.case} cases arrived,
${handled} were assigned, ${refused} offers were refused, ${result.missed} missed; peak load ${result.peakLoad.items} items at ${clock(result.peakLoad.at)}.
${result.wrapUps} releases were followed by wrap-up; ${result.disconnects} connections dropped, ${result.reconnects.restored} agents were back
within the reconnect grace (presence restored) and ${result.reconnects.notRestored} after it (default presence).
Each bar is an agent's presence over the shift, coloured by its base status: “Wrap up” is Busy, “Inactive” (after a missed
offer) is Away. Hover for times and why the presence held.</p>
<div>${legend}</div>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Presence timeline per agent">
${hours.join('\n')}
${rows.join('\n')}
</svg>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<h2>Teams</h2>
<p>The service's report over the shift (<code>service.report</code>), for the agents of each role and for the whole floor:
time signed in and in each base status, summed over the team's agents; occupancy is the units held over the capacity
while signed in; work counts the items assigned, released (into wrap-up), missed and rejected.</p>
<table class="teams">
<thead><tr>${teamHead}</tr></thead>
<tbody>
${teamBody}
</tbody>
</table>
</body>
</html>
`;
}
