/**
 * Benchmark: transition throughput on a fixed mix of events (assign, release, manual pick; test/bench/contenders/
 * benchMix.ts) for four implementations of the rules, side by side in one run:
 *
 * - agent-presence: `machine.transition(state, event)`, reading `result.presence`;
 * - an XState v5 actor per agent: `actor.send(event)`, reading the presence from `actor.getSnapshot()`;
 * - a plain hand-written reducer of the mix's rules only (no input checks, no rejection messages, no deadlines);
 * - the reference model of `agent-presence/testing`: a plain reducer of every rule the machine has.
 *
 * Each round signs in AGENTS fresh agents per contender (not timed), then times every agent through the script.
 * Rounds take the contenders in turn, so a slow phase of the machine hits all of them; the figure is the median.
 * Run with `npm run bench` (or `npm run bench -- throughput`); it measures, it asserts nothing.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { agentPresenceContender } from './contenders/agentPresence';
import { SIGN_IN, script, type Contender } from './contenders/benchMix';
import { reducerContender } from './contenders/presenceReducer';
import { referenceModelContender } from './contenders/referenceModel';
import { xstateContender } from './contenders/xstatePresence';

const AGENTS = 1_000;
const CYCLES = 100; // 6 events each, per agent and round
const ROUNDS = 9;

const contenders = [agentPresenceContender, xstateContender, reducerContender, referenceModelContender] as Contender<unknown>[];
const events = script(CYCLES);
const eventsPerRound = AGENTS * events.length;

/** They must all agree on every step before their speed means anything. Returns the Busy steps of one agent. */
function checkAgreement(): number {
  const trace = (contender: Contender<unknown>): string[] => {
    let agent = contender.create('agent-0');
    const seen: string[] = [];
    for (const event of [SIGN_IN, ...events]) {
      const { agent: next, observed } = contender.send(agent, event);
      agent = next;
      seen.push(`${observed.presenceId}/${observed.base}/${observed.text}`);
    }
    return seen;
  };
  const [reference, ...others] = contenders.map(trace);
  others.forEach((other, i) => {
    const step = other.findIndex((value, j) => value !== reference?.[j]);
    if (step >= 0) {
      throw new Error(`${contenders[i + 1]?.name} disagrees at step ${step}: ${other[step]} vs ${reference?.[step]}`);
    }
  });
  return (reference ?? []).slice(1).filter((value) => value.split('/')[1] === 'Busy').length;
}

/** Events per second for one round of one contender. */
function round(contender: Contender<unknown>): number {
  const agents: unknown[] = [];
  for (let a = 0; a < AGENTS; a++) agents.push(contender.send(contender.create(`agent-${a}`), SIGN_IN).agent);
  const start = performance.now();
  const busy = contender.drive(agents, events); // reads what each step shows, as a router would
  const ms = performance.now() - start;
  if (busy !== AGENTS * busyPerAgent) throw new Error(`${contender.name}: ${busy} Busy steps, expected ${AGENTS * busyPerAgent}`);
  return (eventsPerRound / ms) * 1000;
}

const busyPerAgent = checkAgreement();
for (const contender of contenders) round(contender); // warm-up
const rates = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (let r = 0; r < ROUNDS; r++) for (const contender of contenders) rates.get(contender.name)?.push(round(contender));

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const oursMedian = median(rates.get(agentPresenceContender.name) ?? []);
console.log(
  `transition throughput — ${fmt(eventsPerRound)} events a round (${AGENTS} agents × ${events.length}), median of ${ROUNDS} rounds, ` +
    `Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0]?.toFixed(1)} at the end`,
);
console.log(`  ${'contender'.padEnd(18)} ${'median events/s'.padStart(16)} ${'min'.padStart(12)} ${'max'.padStart(12)}   agent-presence is`);
for (const [name, values] of rates) {
  const m = median(values);
  const ratio = name === agentPresenceContender.name ? '' : `${(oursMedian / m).toFixed(2)}× this`;
  console.log(`  ${name.padEnd(18)} ${fmt(m).padStart(16)} ${fmt(Math.min(...values)).padStart(12)} ${fmt(Math.max(...values)).padStart(12)}   ${ratio}`);
}
