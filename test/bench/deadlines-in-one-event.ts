/**
 * Benchmark: what one event costs when it passes many deadlines at once. An agent holds n items, every one
 * released into a wrap-up that ends at its own time, and its sessions expire one after another; one `activity`
 * event comes after all of them (a client silent for hours). The machine applies each deadline at its own time,
 * in order: n + 2 deadlines for one event. Medians of several rounds, at 100 items, 1,000 items (the default and
 * upper limit, `MAX_HELD_ITEMS`) and 64 sessions (`MAX_SESSIONS`). Run with `npm run bench -- deadlines`; it
 * measures, it asserts nothing.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createPresenceMachine, MAX_HELD_ITEMS, MAX_SESSIONS, type PresenceState } from '../../src/index';

const ROUNDS = 31;
const machine = createPresenceMachine({ defaultProfile: { capacity: 1e6, sessionTtlMs: 3_600_000, idleAfterMs: 600_000, wrapUpPresenceId: 'busy' } });

/** Signed in on `sessions` devices, holding `items` items in wrap-ups that end one after another. */
function stateWith(items: number, sessions: number): PresenceState {
  let state = machine.initialState('a1');
  for (let s = 0; s < sessions; s++) state = machine.transition(state, { type: 'signIn', sessionId: `s${s}`, at: s }).state;
  for (let i = 0; i < items; i++) {
    state = machine.transition(state, { type: 'workAssigned', workItemId: `c${i}`, units: 1, at: 100 }).state;
    state = machine.transition(state, { type: 'workReleased', workItemId: `c${i}`, wrapUpMs: 1_000 + i * 997, at: 100 }).state;
  }
  return state;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log('items in wrap-up | sessions | deadlines passed | one event, median | p90');
for (const [items, sessions] of [
  [100, 2],
  [1_000, 2],
  [MAX_HELD_ITEMS, MAX_SESSIONS],
] as const) {
  const state = stateWith(items, sessions);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    const { state: after } = machine.transition(state, { type: 'activity', at: 10_000_000 });
    times.push(performance.now() - start);
    if (after.work.length !== 0 || after.signedIn) throw new Error('the deadlines were not all applied');
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `${items} | ${sessions} | ${items + sessions} | ${median(times).toFixed(2)} ms | ${(sorted[Math.floor(sorted.length * 0.9)] as number).toFixed(2)} ms`,
  );
}
