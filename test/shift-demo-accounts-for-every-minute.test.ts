import { BASE_STATUSES } from 'agent-presence';
import { describe, expect, it } from 'vitest';
import { formatShiftSummary, hoursMinutes } from '../examples/shift/formatShiftSummary';
import { renderShiftHtml } from '../examples/shift/renderShiftHtml';
import { simulateShift, type ShiftResult } from '../examples/shift/simulateShift';

/** The demo's page and table must tell the same story as the simulation, and the simulation must add up. */

const HOUR = 3_600_000;
const small = (seed: number): ShiftResult => simulateShift({ seed, agents: 5, hours: 2 });

interface Bar {
  agent: string;
  from: number;
  to: number;
  base: string;
  text: string;
}
const bars = (html: string): Bar[] =>
  [...html.matchAll(/<rect [^>]*data-agent="([^"]*)" data-from="(\d+)" data-to="(\d+)" data-base="(\w+)" data-text="([^"]*)"/g)].map(
    (m) => ({ agent: m[1] as string, from: Number(m[2]), to: Number(m[3]), base: m[4] as string, text: m[5] as string }),
  );

describe('the shift demo', () => {
  const result = small(7);
  const html = renderShiftHtml(result);

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

  it('sends the engine only events it accepts, and routes work to agents', () => {
    expect(result.rejections).toEqual([]);
    expect(result.arrived.chat + result.arrived.case).toBeGreaterThan(0);
    expect(result.agents.reduce((n, a) => n + a.handled, 0)).toBeGreaterThan(0);
    expect(result.peakLoad.items).toBeGreaterThan(0);
  });

  it('replays the same shift for the same seed and another for another seed', () => {
    expect(renderShiftHtml(small(7))).toBe(html);
    expect(renderShiftHtml(small(8))).not.toBe(html);
  });

  it('reports progress from 0 to 1 in order', () => {
    const seen: number[] = [];
    simulateShift({ seed: 3, agents: 3, hours: 1, onProgress: (done) => seen.push(done) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((d, i) => i === 0 || d >= (seen[i - 1] as number))).toBe(true);
  });
});
