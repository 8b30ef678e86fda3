import { BASE_STATUSES } from 'agent-presence';
import type { AgentReport as ServiceAgentReport } from 'agent-presence/service';
import { beforeAll, describe, expect, it } from 'vitest';
import { hoursMinutes } from '../../examples/shift/formatShiftSummary';
import { renderShiftHtml } from '../../examples/shift/renderShiftHtml';
import { simulateShift, TEAMS, type ShiftResult } from '../../examples/shift/simulateShift';
import { formatTeamTable, percent, TEAM_TABLE_BASES, teamTable } from '../../examples/shift/teamTable';

/**
 * The team table is the service's report (`service.report`) over the simulated shift. What the simulation counted
 * itself, as it sent the events (work assigned, declined, missed, released; time from `timeInStatus`), must be what
 * the report says, agent by agent and team by team; and the text and the page must show the same figures.
 */

const HOUR = 3_600_000;

describe("the shift demo's team report", () => {
  let result: ShiftResult;
  let reportOf: Map<string, ServiceAgentReport>;
  beforeAll(async () => {
    result = await simulateShift({ seed: 7, agents: 10, hours: 2 });
    reportOf = new Map(result.teams.flatMap((t) => t.report.agents.map((a) => [a.agentId, a] as const)));
  });

  it('puts each agent in the team of its role, once, and reports each team over the whole shift', () => {
    expect(result.teams.map((t) => t.team)).toEqual(TEAMS);
    for (const { team, report } of result.teams) {
      expect([report.from, report.to]).toEqual([result.start, result.end]);
      expect(report.agents.map((a) => a.agentId)).toEqual(result.agents.filter((a) => a.role === team).map((a) => a.agentId));
      expect(report.totals.agents).toBe(report.agents.length);
    }
    expect([...reportOf.keys()].sort()).toEqual(result.agents.map((a) => a.agentId).sort());
    expect([result.everyone.from, result.everyone.to]).toEqual([result.start, result.end]);
    expect(result.everyone.agents.map((a) => a.agentId).sort()).toEqual(result.agents.map((a) => a.agentId).sort());
  });

  it('counts, for each agent, the work the simulation assigned, saw declined and saw missed, and the time it measured in each base status', () => {
    const everyoneOf = new Map(result.everyone.agents.map((a) => [a.agentId, a]));
    for (const agent of result.agents)
      for (const report of [reportOf.get(agent.agentId), everyoneOf.get(agent.agentId)] as ServiceAgentReport[]) {
        expect(report.work, agent.agentId).toMatchObject({ assigned: agent.handled, rejected: agent.refused, missed: agent.missed });
        for (const base of BASE_STATUSES) {
          // The simulation counts the time before the first sign-in (nothing stored yet) as Offline.
          const reported = report.byBase[base] + (base === 'Offline' ? report.untracked : 0);
          expect(reported, `${agent.agentId} ${base}`).toBe(agent.timeInBase[base]);
        }
        expect(report.signedInMs, agent.agentId).toBe(2 * HOUR - agent.timeInBase.Offline);
      }
    const handled = result.agents.reduce((n, a) => n + a.handled, 0);
    expect(result.everyone.totals.work).toEqual({
      assigned: handled,
      released: result.wrapUps,
      missed: result.missed,
      rejected: result.agents.reduce((n, a) => n + a.refused, 0),
    });
    expect(handled).toBeGreaterThan(0);
    expect(result.missed).toBeGreaterThan(0);
  });

  it("measures occupancy against each agent's capacity while signed in, never above the most units the simulation saw it hold", () => {
    for (const agent of result.agents) {
      const report = reportOf.get(agent.agentId) as ServiceAgentReport;
      expect(report.unitMs?.capacity, agent.agentId).toBe(agent.capacity * report.signedInMs);
      expect(report.unitMs?.used, agent.agentId).toBeLessThanOrEqual(agent.peakUnits * report.signedInMs);
      expect(report.occupancy, agent.agentId).toBeGreaterThan(0);
      expect(report.occupancy, agent.agentId).toBeLessThanOrEqual(agent.peakUnits / agent.capacity);
    }
  });

  it('adds the teams up to the whole floor', () => {
    const { totals } = result.everyone;
    const sum = (pick: (t: ShiftResult['everyone']['totals']) => number): number => result.teams.reduce((n, t) => n + pick(t.report.totals), 0);
    expect(totals.agents).toBe(result.agents.length);
    expect(sum((t) => t.agents)).toBe(totals.agents);
    expect(sum((t) => t.signedInMs)).toBe(totals.signedInMs);
    expect(sum((t) => t.untracked)).toBe(totals.untracked);
    for (const base of BASE_STATUSES)
      expect(
        sum((t) => t.byBase[base]),
        base,
      ).toBe(totals.byBase[base]);
    for (const kind of ['assigned', 'released', 'missed', 'rejected'] as const)
      expect(
        sum((t) => t.work?.[kind] ?? 0),
        kind,
      ).toBe(totals.work?.[kind]);
    expect(sum((t) => t.unitMs?.used ?? 0)).toBe(totals.unitMs?.used);
    expect(totals.occupancy).toBeCloseTo((totals.unitMs?.used ?? 0) / (totals.unitMs?.capacity ?? 1), 12);
  });

  it('prints a row per team and one for all, under the summary, with the figures of the report', () => {
    const text = formatTeamTable(result).split('\n');
    const { rows } = teamTable(result);
    expect(rows.map((r) => r.team)).toEqual([...TEAMS, 'all']);
    for (const { team, totals } of rows) {
      const line = text.find((l) => l.startsWith(`${team} `));
      expect(line, team).toBeDefined();
      const cells = (line as string).trim().split(/\s+/);
      expect(cells.slice(0, 8), team).toEqual([
        team,
        String(totals.agents),
        hoursMinutes(totals.signedInMs),
        percent(totals.occupancy),
        String(totals.work?.assigned),
        String(totals.work?.released),
        String(totals.work?.missed),
        String(totals.work?.rejected),
      ]);
      expect(cells.slice(8), team).toEqual(TEAM_TABLE_BASES.map((b) => hoursMinutes(totals.byBase[b])));
    }
  });

  it('shows the same table in the page, a row per team with its times in milliseconds', () => {
    const html = renderShiftHtml(result);
    const { columns, rows } = teamTable(result);
    expect(html).toContain(`<table class="teams">\n<thead><tr>${columns.map((c) => `<th>${c}</th>`).join('')}</tr></thead>`);
    for (const { team, totals, cells } of rows) {
      const row = new RegExp(`<tr data-team="${team}"[^>]*>(.*?)</tr>`).exec(html)?.[1];
      expect(row, team).toBeDefined();
      expect([...(row as string).matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(cells);
      for (const base of TEAM_TABLE_BASES) expect(row).toContain(`data-base="${base}" data-ms="${totals.byBase[base]}"`);
    }
  });
});
