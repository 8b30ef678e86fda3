/**
 * The visual demo: a seeded, simulated shift of a contact center, every presence event through the presence service
 * (on a simulated clock and scheduler): routing by capacity profile, wrap-up, missed and declined offers, dropped
 * connections and the reconnect grace.
 *
 *   npm run demo                                   # 20 agents, 8 hours, seed 42
 *   npm run demo -- --seed 7 --agents 12 --hours 4 --out demo-output/other.html
 *
 * Prints a progress bar while it simulates, then a summary table and the team table (the service's report per role),
 * and writes demo-output/shift.html: an SVG timeline per agent coloured by base status and labelled with the
 * presence text, and both tables. Open it in a browser.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createProgressBar } from './createProgressBar';
import { clock, formatShiftSummary } from './formatShiftSummary';
import { renderShiftHtml } from './renderShiftHtml';
import { simulateShift } from './simulateShift';
import { formatTeamTable } from './teamTable';

const { values } = parseArgs({
  allowPositionals: true, // run by scripts/run-examples.ts, whose own argument this is not
  options: {
    seed: { type: 'string', default: '42' },
    agents: { type: 'string', default: '20' },
    hours: { type: 'string', default: '8' },
    out: { type: 'string', default: 'demo-output/shift.html' },
  },
});
const number = (name: string, text: string | undefined): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got ${JSON.stringify(text)})`);
  return value;
};

const progress = createProgressBar(process.stdout, 'simulating');
const result = await simulateShift({
  seed: number('seed', values.seed),
  agents: Math.round(number('agents', values.agents)),
  hours: number('hours', values.hours),
  onProgress: (done, at) => progress.update(done, clock(at)),
});
progress.finish(clock(result.end));

console.log(`\n${formatShiftSummary(result)}\n\n${formatTeamTable(result)}\n`);
const out = resolve(values.out ?? 'demo-output/shift.html');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, renderShiftHtml(result));
console.log(`wrote ${out}`);
