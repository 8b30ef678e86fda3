/**
 * Benchmark: `findAvailable` from the roster index against a full scan of the same roster, at 10,000 and 100,000
 * agents of capacity 100, and at 100,000 agents whose capacities span 1 to 1e12, medians of several rounds. Run with `npm run bench:roster`; it measures, it asserts nothing (beyond
 * checking that both give the same answer).
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createPresenceMachine, type PresenceMachine, type PresenceState } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type ResolvedRosterQuery } from '../../src/service/index';

const ROUNDS = 15;
const QUERIES_PER_ROUND = 200;

const config = {
  presences: [{ id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' as const }],
  defaultProfile: { capacity: 100, maxWorkItems: 4 },
};

/** A seeded PRNG, so each run builds the same roster. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Agents `agent-0`… with capacities 10^0 to 10^12, the magnitude drawn at random for each. */
function mixedCapacities(size: number): PresenceMachine {
  const rand = random(1);
  const agents: Record<string, { capacity: number }> = {};
  for (let i = 0; i < size; i++) agents[`agent-${i}`] = { capacity: 10 ** Math.floor(rand() * 13) };
  return createPresenceMachine({ ...config, agents });
}

const ROSTERS: { size: number; label: string; machine: PresenceMachine }[] = [
  { size: 10_000, label: '10,000 agents', machine: createPresenceMachine(config) },
  { size: 100_000, label: '100,000 agents', machine: createPresenceMachine(config) },
  { size: 100_000, label: '100,000 agents of capacities 1 to 1e12', machine: mixedCapacities(100_000) },
];

/**
 * A roster: 90% signed in; of those some Away, the rest holding 0–3 items of 10–40% of their capacity (10–40 units
 * at capacity 100).
 */
async function buildRoster(machine: PresenceMachine, size: number) {
  const rand = random(size);
  const store = createMemoryPresenceStore();
  const service = createPresenceService({ machine, store, scheduler: { set() {}, cancel() {} } });
  for (let i = 0; i < size; i++) {
    const id = `agent-${i}`;
    const at = 1_000 + Math.floor(rand() * 100_000);
    if (rand() < 0.9) await service.dispatch(id, { type: 'signIn', at });
    const roll = rand();
    if (roll < 0.15) await service.dispatch(id, { type: 'setPresence', presenceId: 'away', at: at + 1 });
    else {
      const items = Math.floor(rand() * 4);
      for (let w = 0; w < items; w++) {
        const units = ((10 + 10 * Math.floor(rand() * 4)) * machine.profileOf(id).capacity) / 100;
        await service.dispatch(id, { type: 'workAssigned', workItemId: `c${w}`, units, at: at + 2 + w });
      }
    }
  }
  const states: PresenceState[] = [];
  for await (const stored of store.list()) states.push(stored.record.state);
  return { service, states, store };
}

/** The best a scan can do: one pass over every agent, keeping the best `limit` seen so far. */
function fullScan(machine: PresenceMachine, states: readonly PresenceState[], query: Omit<ResolvedRosterQuery, 'exclude'>): string[] {
  type Row = { agentId: string; free: number; idle: number };
  const better = (a: Row, b: Row) =>
    query.order === 'mostFree'
      ? b.free - a.free || a.idle - b.idle || (a.agentId < b.agentId ? -1 : 1)
      : a.idle - b.idle || b.free - a.free || (a.agentId < b.agentId ? -1 : 1);
  const top: Row[] = [];
  for (const s of states) {
    if (!query.bases.includes(s.base) || !machine.canTake(s, { units: query.units })) continue;
    let used = 0;
    let idle = s.since;
    for (const w of s.work) {
      used += w.units;
      if (w.since > idle) idle = w.since;
    }
    const row = { agentId: s.agentId, free: machine.profileOf(s.agentId).capacity - used, idle };
    if (top.length === query.limit && better(row, top[top.length - 1]!) >= 0) continue;
    let at = top.length;
    while (at > 0 && better(row, top[at - 1]!) < 0) at--;
    top.splice(at, 0, row);
    if (top.length > query.limit) top.pop();
  }
  return top.map((r) => r.agentId);
}

/** Median per-query time in microseconds over ROUNDS rounds of QUERIES_PER_ROUND queries. */
async function median(run: () => unknown, perRound = QUERIES_PER_ROUND): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let q = 0; q < perRound; q++) await run();
    times.push(((performance.now() - start) * 1000) / perRound);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(ROUNDS / 2)]!;
}

const queries: Omit<ResolvedRosterQuery, 'exclude'>[] = [
  { units: 30, bases: ['Available', 'Busy'], limit: 5, order: 'mostFree' },
  { units: 30, bases: ['Available', 'Busy'], limit: 5, order: 'longestIdle' },
  { units: 10, bases: ['Available'], limit: 50, order: 'mostFree' },
  // Every Busy agent holds 10 units or more, so none has 95 free: the answer is empty, found by the early stop.
  { units: 95, bases: ['Busy'], limit: 5, order: 'mostFree' },
];

console.log(`findAvailable vs a full scan — ${ROUNDS} rounds, median per query, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}`);
for (const { size, label, machine } of ROSTERS) {
  const built = performance.now();
  const { service, states, store } = await buildRoster(machine, size);
  const buildMs = performance.now() - built;
  // A new process's first query loads every stored agent into its index: the cost of indexing the whole roster.
  const loads: number[] = [];
  for (let r = 0; r < 5; r++) {
    const fresh = createPresenceService({ machine, store, scheduler: { set() {}, cancel() {} } });
    const start = performance.now();
    await fresh.findAvailable(queries[0]);
    loads.push(performance.now() - start);
  }
  loads.sort((a, b) => a - b);
  console.log(
    `\n${label} (roster built through the service in ${Math.round(buildMs)} ms; ` +
      `loaded into a new service's index in ${Math.round(loads[2]!)} ms, median of 5)`,
  );
  for (const query of queries) {
    const indexed = (await service.findAvailable(query)).map((c) => c.agentId);
    const scanned = fullScan(machine, states, query);
    if (JSON.stringify(indexed) !== JSON.stringify(scanned)) throw new Error(`answers differ for ${JSON.stringify(query)}`);
    for (let w = 0; w < 50; w++) await service.findAvailable(query); // warm-up
    fullScan(machine, states, query);
    const index = await median(() => service.findAvailable(query));
    const scan = await median(() => fullScan(machine, states, query), size >= 100_000 ? 5 : 20);
    const what = `units ${query.units}, ${query.bases.join('+')}, limit ${query.limit}, ${query.order}`;
    console.log(`  ${what.padEnd(46)} index ${index.toFixed(1).padStart(7)} µs   full scan ${scan.toFixed(0).padStart(8)} µs   (${Math.round(scan / index)}×)`);
  }
}
