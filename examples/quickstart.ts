/**
 * Quick start: one machine for the standard setup, one agent through a short morning. Each step prints the
 * presence the event leaves the agent in, and why.
 *
 *   npx tsx examples/quickstart.ts
 */
import { createPresenceMachine, type PresenceEvent, type PresenceState } from 'agent-presence';

// No config: the five standard presences, capacity 100 for everyone.
const machine = createPresenceMachine();

// An agent's state is plain JSON that you keep (memory, a database, a message); the machine keeps none.
let state: PresenceState = machine.initialState('agent-7', Date.UTC(2026, 0, 5, 8, 55));

const at = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return Date.UTC(2026, 0, 5, h, m);
};

const steps: PresenceEvent[] = [
  { type: 'signIn', at: at('09:00') },
  { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: at('09:05') }, // capacity in use: Busy
  { type: 'workAssigned', workItemId: 'chat-2', units: 60, at: at('09:07') }, // 100 of 100: Do not disturb
  { type: 'workReleased', workItemId: 'chat-1', at: at('09:20') },
  { type: 'setPresence', presenceId: 'away', at: at('09:21') }, // sticky: work events leave it alone
  { type: 'workReleased', workItemId: 'chat-2', at: at('09:30') },
  { type: 'setPresence', presenceId: 'available', at: at('09:45') },
  { type: 'workReleased', workItemId: 'chat-9', at: at('09:46') }, // refused: never assigned
  { type: 'signOut', at: at('10:00') },
];

for (const event of steps) {
  const result = machine.transition(state, event);
  state = result.state;
  const { presence } = result;
  const when = new Date(event.at).toISOString().slice(11, 16);
  const outcome = result.rejection
    ? `refused ${result.rejection.code}: ${result.rejection.message}`
    : `${presence.text} (${presence.base}, ${presence.source}${result.changed ? ', changed' : ''})`;
  console.log(`${when} ${event.type.padEnd(13)} → ${outcome}`);
}

// The state survives a JSON round trip unchanged: store it anywhere.
const stored = JSON.parse(JSON.stringify(state)) as PresenceState;
console.log(`stored and restored: ${machine.presenceOf(stored).text}, holding ${stored.work.length} items`);
