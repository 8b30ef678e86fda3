/**
 * Benchmark: memory the in-memory presence service keeps per agent after an 8-hour shift. 10,000 agents sign in,
 * then each gets an event every 20 seconds of the service clock for 8 hours (assign, release, assign, release,
 * a manual Away, back to Available: every event changes the presence, 1,440 changes per agent, each with a
 * 36-character event id), and signs out. Everything is the service's default (memory store, history, publisher,
 * timer scheduler) except the clock, which the shift moves by hand. The heap plus external memory (typed arrays'
 * backing stores) is measured after a full GC before the service is made, after the shift, and a day later once
 * `forgetSignedOut` has forgotten the agents (signed out for 24 hours, the default). Needs `--expose-gc`, which `npm run bench` passes.
 *
 *   npm run bench -- memory-service          # 10,000 agents
 *   BENCH_AGENTS=1000 npm run bench -- memory-service
 */
import { randomUUID } from 'node:crypto';
import { createPresenceMachine, type PresenceEvent } from 'agent-presence';
import { createMemoryHistoryStore, createPresenceService } from 'agent-presence/service';
import { shiftEvent } from '../helpers/shiftEvent';
import { BENCH_CONFIG } from './contenders/benchMix';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const SHIFT_MS = 8 * 60 * 60_000;
const STEP_MS = 20_000;
const START = Date.UTC(2026, 0, 5, 9);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench does)');

/** The JS heap plus memory outside it (the backing stores of typed arrays), after a full GC. */
function memoryAfterGc(): number {
  for (let i = 0; i < 3; i++) gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

const before = memoryAfterGc();
let now = START;
const clock = { now: () => now };
// The default history, made here only to read its size.
const history = createMemoryHistoryStore();
const service = createPresenceService({ machine: createPresenceMachine(BENCH_CONFIG), clock, history });
const ids = Array.from({ length: AGENTS }, (_, a) => `agent-${String(a).padStart(5, '0')}`);
const started = performance.now();
let dispatched = 0;
let changed = 0;

const all = async (event: (agentId: string) => PresenceEvent) => {
  const results = await Promise.all(ids.map((agentId) => service.dispatch(agentId, event(agentId))));
  for (const result of results) {
    if (result.rejection !== undefined) throw new Error(`refused: ${result.rejection.message}`);
    if (result.changed) changed++;
  }
  dispatched += results.length;
};

await all(() => ({ type: 'signIn', at: now, eventId: randomUUID() }));
const steps = SHIFT_MS / STEP_MS;
for (let n = 0; n < steps; n++) {
  now += STEP_MS;
  await all(() => shiftEvent(n, now, randomUUID()));
}
now += STEP_MS;
await all(() => ({ type: 'signOut', at: now, eventId: randomUUID() }));
const seconds = (performance.now() - started) / 1_000;

const sample = await service.timeInStatus(ids[0] as string, { from: START, to: now });
const after = memoryAfterGc();
const perAgent = (after - before) / AGENTS;
const historyPerAgent = history.byteLength / AGENTS;
if ((await service.get(ids[AGENTS - 1] as string)).version === 0) throw new Error('lost agents'); // keeps the service alive until measured

// A day later every agent has been signed out for 24 hours: the service forgets them all (this call, and the
// service's own check if one is still walking the store: `close` waits for it).
now += 24 * 60 * 60_000;
const forgotten = await service.forgetSignedOut();
await service.close();
const stillStored = await service.rebuildRoster();
const left = (memoryAfterGc() - before) / AGENTS;
if ((await service.get(ids[0] as string)).version !== 0) throw new Error('not forgotten');

console.log(
  `in-memory service after an 8-hour shift — ${AGENTS.toLocaleString('en-US')} agents, ${dispatched.toLocaleString('en-US')} events (${changed.toLocaleString('en-US')} presence changes) in ${seconds.toFixed(0)} s, heap + external after a full GC, Node ${process.version}`,
);
console.log(`  bytes per agent   ${Math.round(perAgent).toLocaleString('en-US')} (${(perAgent / 1024).toFixed(1)} KiB)`);
console.log(`  of which history ${Math.round(historyPerAgent).toLocaleString('en-US')} (${(historyPerAgent / 1024).toFixed(1)} KiB, its buffers)`);
console.log(`  heap for all      ${((perAgent * AGENTS) / 2 ** 20).toFixed(1)} MiB`);
console.log(`  for 10,000 agents ${((perAgent * 10_000) / 2 ** 30).toFixed(2)} GiB`);
console.log(
  `  a day later        ${(AGENTS - stillStored).toLocaleString('en-US')} agents forgotten (${forgotten.toLocaleString('en-US')} by forgetSignedOut, the rest by the service's own check), ${Math.round(left).toLocaleString('en-US')} bytes per agent left`,
);
console.log(
  `  agent 0's shift   untracked ${(sample.untracked / 60_000).toFixed(1)} min, Available ${(sample.byBase.Available / 60_000).toFixed(1)} min, Busy ${(sample.byBase.Busy / 60_000).toFixed(1)} min, Away ${(sample.byBase.Away / 60_000).toFixed(1)} min`,
);
