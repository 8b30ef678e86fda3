/**
 * Benchmark: memory per agent. Creates 100,000 signed-in agents holding 2 work items each and measures the heap
 * they keep alive (after a full GC, before and after), for agent-presence's state and, side by side, the plain
 * reducer's state and an XState v5 actor. Needs `--expose-gc`, which `npm run bench` passes.
 */
import type { PresenceEvent } from 'agent-presence';
import { agentPresenceContender } from './contenders/agentPresence';
import { SIGN_IN, type Contender } from './contenders/benchMix';
import { reducerContender } from './contenders/presenceReducer';
import { xstateContender } from './contenders/xstatePresence';

const AGENTS = 100_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench does)');

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

/** Bytes of heap each agent keeps alive, and the size of one agent's state as JSON where it has one. */
function measure<Agent>(contender: Contender<Agent>, json: (agent: Agent) => string | undefined): { perAgent: number; jsonBytes: number | undefined } {
  const before = heapAfterGc();
  const agents: Agent[] = new Array(AGENTS);
  for (let a = 0; a < AGENTS; a++) {
    // Fresh strings per agent, as ids read off a wire or a database would be.
    const events: PresenceEvent[] = [
      SIGN_IN,
      { type: 'workAssigned', workItemId: `chat-${a}-1`, units: 30, at: 1 },
      { type: 'workAssigned', workItemId: `case-${a}-2`, units: 20, at: 2 },
    ];
    let agent = contender.create(`agent-${a}`);
    for (const event of events) agent = contender.send(agent, event).agent;
    agents[a] = agent;
  }
  const after = heapAfterGc();
  const sample = json(agents[AGENTS - 1] as Agent);
  if (agents.length !== AGENTS) throw new Error('lost agents'); // keeps `agents` alive until measured
  return { perAgent: (after - before) / AGENTS, jsonBytes: sample === undefined ? undefined : Buffer.byteLength(sample) };
}

const results = [
  { name: agentPresenceContender.name, ...measure(agentPresenceContender, (s) => JSON.stringify(s)) },
  { name: reducerContender.name, ...measure(reducerContender, (s) => JSON.stringify(s)) },
  { name: xstateContender.name, ...measure(xstateContender, (actor) => JSON.stringify(actor.getPersistedSnapshot())) },
];

console.log(`memory per agent — ${AGENTS.toLocaleString('en-US')} signed-in agents holding 2 work items each, heap after a full GC, Node ${process.version}`);
console.log(`  ${'contender'.padEnd(18)} ${'bytes/agent'.padStart(12)} ${'heap for all'.padStart(13)} ${'JSON/agent'.padStart(11)}`);
for (const r of results) {
  console.log(
    `  ${r.name.padEnd(18)} ${Math.round(r.perAgent).toLocaleString('en-US').padStart(12)} ${`${((r.perAgent * AGENTS) / 2 ** 20).toFixed(1)} MiB`.padStart(13)} ${(r.jsonBytes === undefined ? '–' : `${r.jsonBytes} B`).padStart(11)}`,
  );
}
