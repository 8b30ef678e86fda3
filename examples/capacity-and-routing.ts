/**
 * Capacity and routing: chats (30 units) and calls (100 units) offered to a small team by a router that asks
 * the presence engine who can take work. The engine decides the presence from what each agent holds; the router
 * reads the base status and the free capacity, and untrusted events are checked at the edge first.
 *
 *   npx tsx examples/capacity-and-routing.ts
 */
import { capacityLevel, createPresenceMachine, type PresenceEvent, type PresenceState } from 'agent-presence';
import { safeParseEvent } from 'agent-presence/schema';

const machine = createPresenceMachine({
  defaultProfile: { capacity: 100 },
  agents: {
    ana: { capacity: 100 }, // chats: up to 3 at 30 units
    ben: { capacity: 100, maxWorkItems: 1 }, // one call at a time
    cleo: { capacity: 60 }, // two chats
  },
});

const states = new Map<string, PresenceState>();
let clock = 0;
/** Every event goes through here: one agent's state in, the next state stored. */
function dispatch(agentId: string, event: PresenceEvent) {
  const result = machine.transition(states.get(agentId) ?? machine.initialState(agentId), event);
  states.set(agentId, result.state);
  return result;
}

for (const agentId of ['ana', 'ben', 'cleo']) dispatch(agentId, { type: 'signIn', at: ++clock });

/** Free units, or -1 when the agent is full (units or item count). */
function freeUnits(state: PresenceState): number {
  const profile = machine.profileOf(state.agentId);
  if (capacityLevel(state.work, profile) === 'full') return -1;
  return profile.capacity - state.work.reduce((sum, item) => sum + item.units, 0);
}

/** Routing reads the base status: Available and Busy agents may be offered work that fits. Most free first. */
function route(units: number): string | undefined {
  const candidates = [...states.values()]
    .filter((s) => (s.base === 'Available' || s.base === 'Busy') && freeUnits(s) >= units)
    .sort((a, b) => freeUnits(b) - freeUnits(a) || a.agentId.localeCompare(b.agentId));
  return candidates[0]?.agentId;
}

const board = (): string =>
  [...states.values()]
    .map((s) => `${s.agentId} ${machine.presenceOf(s).text} ${s.work.reduce((n, i) => n + i.units, 0)}/${machine.profileOf(s.agentId).capacity}`)
    .join(' | ');

const arrivals = [
  { id: 'chat-1', units: 30 },
  { id: 'call-1', units: 100 },
  { id: 'chat-2', units: 30 },
  { id: 'chat-3', units: 30 },
  { id: 'chat-4', units: 30 },
  { id: 'chat-5', units: 30 },
  { id: 'chat-6', units: 30 },
  { id: 'call-2', units: 100 },
];
for (const item of arrivals) {
  const agentId = route(item.units);
  if (agentId === undefined) {
    console.log(`${item.id.padEnd(7)} ${`waits: nobody has ${item.units} free`.padEnd(28)} ${board()}`);
    continue;
  }
  dispatch(agentId, { type: 'workAssigned', workItemId: item.id, units: item.units, at: ++clock });
  console.log(`${item.id.padEnd(7)} ${`→ ${agentId}`.padEnd(28)} ${board()}`);
}

// A supervisor forces a chat on Ana past her capacity: accepted, and she is full (Do not disturb).
dispatch('ana', { type: 'workAssigned', workItemId: 'chat-forced', units: 30, at: clock + 1 });
console.log(`${'forced'.padEnd(7)} ${'→ ana, past her capacity'.padEnd(28)} ${board()}`);

// Events from outside are checked at the edge; a bad one never reaches the machine.
for (const body of ['{"type":"workReleased","workItemId":"call-1","at":100}', '{"type":"workAssigned","workItemId":"chat-7","units":-30,"at":101}']) {
  const parsed = safeParseEvent(JSON.parse(body));
  if (!parsed.success) {
    console.log(`rejected at the edge: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    continue;
  }
  const result = dispatch('ben', parsed.data);
  console.log(`ben ${parsed.data.type}: now ${result.presence.text}, offered next: ${route(100) ?? 'nobody'}`);
}
