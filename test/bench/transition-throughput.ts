/**
 * Benchmark: transition throughput on a fixed mix of events (assign, release, manual pick), the median of several
 * rounds. Run with `npm run bench`; it measures, it asserts nothing.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createPresenceMachine, type PresenceEvent, type PresenceState } from '../../src/index';

const AGENTS = 1_000;
const CYCLES = 100; // per agent and round
const ROUNDS = 7;

const machine = createPresenceMachine({
  presences: [
    { id: 'away-training', name: 'Away – In Training', base: 'Away' },
    { id: 'busy-case-work', name: 'Busy – Case work', base: 'Busy' },
  ],
  defaultProfile: { capacity: 100, maxWorkItems: 4 },
});

/** One cycle of the mix: 6 events, every one accepted. */
function cycle(n: number, at: number): PresenceEvent[] {
  return [
    { type: 'workAssigned', workItemId: `c${n}-a`, units: 40, at },
    { type: 'workAssigned', workItemId: `c${n}-b`, units: 40, at: at + 1 },
    { type: 'setPresence', presenceId: 'busy-case-work', at: at + 2 },
    { type: 'workReleased', workItemId: `c${n}-a`, at: at + 3 },
    { type: 'setPresence', presenceId: 'away-training', at: at + 4 },
    { type: 'workReleased', workItemId: `c${n}-b`, at: at + 5 },
  ];
}
const script = Array.from({ length: CYCLES }, (_, n) => cycle(n, n * 10)).flat();
const eventsPerRound = AGENTS * script.length;

function round(): number {
  const states: PresenceState[] = [];
  for (let a = 0; a < AGENTS; a++) {
    states.push(machine.transition(machine.initialState(`agent-${a}`), { type: 'signIn', at: 0 }).state);
  }
  let rejected = 0;
  const start = performance.now();
  for (let a = 0; a < AGENTS; a++) {
    let state = states[a]!;
    for (const event of script) {
      const result = machine.transition(state, event);
      if (result.rejection) rejected++;
      state = result.state;
    }
    states[a] = state;
  }
  const ms = performance.now() - start;
  if (rejected > 0) throw new Error(`the mix should be accepted throughout, ${rejected} events were refused`);
  return (eventsPerRound / ms) * 1000;
}

round(); // warm-up
const rates = Array.from({ length: ROUNDS }, round).sort((a, b) => a - b);
const median = rates[Math.floor(ROUNDS / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`transition throughput — ${fmt(eventsPerRound)} events a round, ${ROUNDS} rounds, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}`);
console.log(`  median ${fmt(median)} events/s   (min ${fmt(rates[0]!)}, max ${fmt(rates[ROUNDS - 1]!)})`);
