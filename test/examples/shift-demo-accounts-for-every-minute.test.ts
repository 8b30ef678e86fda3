import { BASE_STATUSES } from 'agent-presence';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatShiftSummary, hoursMinutes } from '../../examples/shift/formatShiftSummary';
import { renderShiftHtml } from '../../examples/shift/renderShiftHtml';
import { simulateShift, type Segment, type ShiftResult } from '../../examples/shift/simulateShift';

/**
 * The demo's page and table must tell the same story as the simulation, the simulation must add up, and the day it
 * runs through the presence service must show the rules it is there to show: wrap-up, missed offers, disconnects.
 */

const HOUR = 3_600_000;
const small = (seed: number): Promise<ShiftResult> => simulateShift({ seed, agents: 5, hours: 2 });

interface Bar {
  agent: string;
  from: number;
  to: number;
  base: string;
  text: string;
}
const bars = (html: string): Bar[] =>
  [...html.matchAll(/<rect [^>]*data-agent="([^"]*)" data-from="(\d+)" data-to="(\d+)" data-base="(\w+)" data-text="([^"]*)"/g)].map((m) => ({
    agent: m[1] as string,
    from: Number(m[2]),
    to: Number(m[3]),
    base: m[4] as string,
    text: m[5] as string,
  }));

describe('the shift demo', () => {
  let result: ShiftResult;
  let html: string;
  beforeAll(async () => {
    result = await small(7);
    html = renderShiftHtml(result);
  });

  it("accounts for every minute of each agent's shift: time in the base statuses adds up to its length", () => {
    expect(result.end - result.start).toBe(2 * HOUR);
    for (const agent of result.agents) {
      const total = BASE_STATUSES.reduce((sum, base) => sum + agent.timeInBase[base], 0);
      expect(total, agent.agentId).toBe(2 * HOUR);
    }
  });

  it('draws back-to-back bars for each agent, from the start to the end of the shift, matching the summary', () => {
    const drawn = bars(html);
    expect(new Set(drawn.map((b) => b.agent))).toEqual(new Set(result.agents.map((a) => a.agentId)));
    for (const agent of result.agents) {
      const own = drawn.filter((b) => b.agent === agent.agentId);
      expect(own[0]?.from).toBe(result.start);
      expect(own.at(-1)?.to).toBe(result.end);
      own.slice(1).forEach((bar, i) => expect(bar.from, `${agent.agentId} bar ${i + 1}`).toBe(own[i]?.to));
      for (const base of BASE_STATUSES) {
        const drawnMs = own.filter((b) => b.base === base).reduce((sum, b) => sum + b.to - b.from, 0);
        expect(drawnMs, `${agent.agentId} ${base}`).toBe(agent.timeInBase[base]);
      }
    }
  });

  it('labels the bars with presence texts, custom ones included, and stays self-contained', () => {
    const texts = new Set(bars(html).map((b) => b.text));
    expect(texts).toContain('Offline');
    expect(texts).toContain('On a break');
    expect(texts).toContain('Wrap up');
    expect(texts).toContain('Inactive');
    expect(html).not.toMatch(/<script|<link|src=|url\(/);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('prints one table row per agent with the same hours as the page', () => {
    const table = formatShiftSummary(result);
    for (const agent of result.agents) {
      const row = table.split('\n').find((line) => line.startsWith(`${agent.agentId} `));
      expect(row, agent.agentId).toBeDefined();
      for (const base of BASE_STATUSES) expect(row).toContain(hoursMinutes(agent.timeInBase[base]));
    }
  });

  it('sends the service only events it accepts, and routes work to agents', () => {
    expect(result.rejections).toEqual([]);
    expect(result.arrived.chat + result.arrived.case).toBeGreaterThan(0);
    expect(result.agents.reduce((n, a) => n + a.handled, 0)).toBeGreaterThan(0);
    expect(result.peakLoad.items).toBeGreaterThan(0);
  });

  const all = (): (Segment & { agentId: string })[] => result.agents.flatMap((a) => a.segments.map((s) => ({ ...s, agentId: a.agentId })));

  it('shows wrap-up after releases: the Busy "Wrap up" presence, ended by the ticks the service sends at deadlines', () => {
    const wrapUps = all().filter((s) => s.presenceId === 'busy-wrap-up');
    expect(wrapUps.length).toBeGreaterThan(0);
    for (const s of wrapUps) expect([s.base, s.text, s.source]).toEqual(['Busy', 'Wrap up', 'wrapUp']);
    expect(result.wrapUps).toBeGreaterThan(0);
    expect(result.ticks).toBeGreaterThan(0);
  });

  it('shows missed offers: the system sets the agent Inactive (Away) until they reset', () => {
    const inactive = all().filter((s) => s.presenceId === 'inactive');
    expect(inactive.length).toBeGreaterThan(0);
    for (const s of inactive) expect([s.base, s.text, s.source]).toEqual(['Away', 'Inactive', 'missed']);
    expect(result.missed).toBeGreaterThan(0);
    expect(result.agents.reduce((n, a) => n + a.missed, 0)).toBe(result.missed);
  });

  it('shows disconnects: Offline mid-shift, then signed in again, restored within the grace and not after it', () => {
    const drops = result.agents.flatMap((a) => a.segments.flatMap((s, i) => (s.source === 'disconnected' ? [{ drop: s, after: a.segments[i + 1] }] : [])));
    expect(drops.length).toBeGreaterThan(0);
    for (const { drop, after } of drops) {
      expect(drop.base).toBe('Offline');
      expect(drop.from).toBeGreaterThan(result.start);
      expect(after?.base, 'signed in again').not.toBe('Offline');
    }
    expect(result.disconnects).toBe(drops.length);
    expect(result.reconnects.restored + result.reconnects.notRestored).toBe(result.disconnects);
    expect(result.reconnects.restored).toBeGreaterThan(0);
    expect(result.reconnects.notRestored).toBeGreaterThan(0);
    // Back after the grace, an agent whose default is Away signs in to it again, as after a sign-out.
    expect(drops.some(({ after }) => after?.source === 'default' && after.base === 'Away')).toBe(true);
  });

  it('replays the same shift for the same seed and another for another seed', async () => {
    expect(renderShiftHtml(await small(7))).toBe(html);
    expect(renderShiftHtml(await small(8))).not.toBe(html);
  });

  it('reports progress from 0 to 1 in order', async () => {
    const seen: number[] = [];
    await simulateShift({ seed: 3, agents: 3, hours: 1, onProgress: (done) => seen.push(done) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((d, i) => i === 0 || d >= (seen[i - 1] as number))).toBe(true);
  });
});
