/**
 * Benchmark: what packing the memory history costs in time. The history as it was (each change an object, in an
 * array per agent) and the packed one take the same changes side by side, round by round: 100 agents × 1,440
 * changes (a busy 8-hour shift, a UUID event id each), then each agent's whole history (the latest 1,000) and its
 * last half hour are read. Medians of 9 rounds, microseconds.
 *
 *   npm run bench -- memory-history
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedPresence } from 'agent-presence';
import { createMemoryHistoryStore, type HistoryStore, type PresenceChange } from 'agent-presence/service';
import { referenceHistory } from '../helpers/referenceHistory';

const AGENTS = 100;
const CHANGES = 1_440;
const ROUNDS = 9;
const START = Date.UTC(2026, 0, 5, 9);

const presence = (presenceId: string, since: number): ResolvedPresence => ({
  presenceId,
  base: 'Busy',
  name: presenceId,
  text: presenceId,
  source: 'capacity',
  since,
});
const logs: PresenceChange[][] = Array.from({ length: AGENTS }, (_, a) => {
  let at = START;
  return Array.from({ length: CHANGES }, (_, v) => {
    const previous = at;
    at += 20_000;
    const [from, to] = v % 2 ? ['busy', 'available'] : ['available', 'busy'];
    return {
      agentId: `agent-${a}`,
      from: presence(from, previous),
      to: presence(to, at),
      at,
      source: 'capacity',
      eventId: randomUUID(),
      version: v + 2,
    };
  });
});
const end = START + CHANGES * 20_000;

function round(history: HistoryStore): [append: number, readAll: number, readHalfHour: number] {
  let t = performance.now();
  for (let v = 0; v < CHANGES; v++) for (const log of logs) void history.append(log[v] as PresenceChange);
  const append = ((performance.now() - t) * 1_000) / (AGENTS * CHANGES);
  t = performance.now();
  for (let a = 0; a < AGENTS; a++) void history.read(`agent-${a}`, { from: 0, to: Infinity });
  const readAll = ((performance.now() - t) * 1_000) / AGENTS;
  t = performance.now();
  for (let a = 0; a < AGENTS; a++) void history.read(`agent-${a}`, { from: end - 30 * 60_000, to: end });
  return [append, readAll, ((performance.now() - t) * 1_000) / AGENTS];
}

const results = { objects: [] as number[][], packed: [] as number[][] };
round(referenceHistory(1_000)); // warm-up
round(createMemoryHistoryStore());
for (let r = 0; r < ROUNDS; r++) {
  results.objects.push(round(referenceHistory(1_000)));
  results.packed.push(round(createMemoryHistoryStore()));
}
const median = (rows: number[][], column: number) => {
  const sorted = rows.map((row) => row[column] as number).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
console.log(`memory history cost — ${AGENTS} agents × ${CHANGES.toLocaleString('en-US')} changes, median of ${ROUNDS} rounds, Node ${process.version}`);
console.log(`  ${'history'.padEnd(10)} ${'append µs'.padStart(10)} ${'read 1,000 µs'.padStart(14)} ${'read ½ hour µs'.padStart(15)}`);
for (const [name, rows] of Object.entries(results)) {
  console.log(
    `  ${name.padEnd(10)} ${median(rows, 0).toFixed(2).padStart(10)} ${median(rows, 1).toFixed(0).padStart(14)} ${median(rows, 2).toFixed(1).padStart(15)}`,
  );
}
