/**
 * A morning shift through the presence service, on its in-memory adapters: four agents, presence changes printed
 * as they are published, routing questions ("who can take this chat now?"), a redelivered webhook, a malformed
 * one, a config change at run time, and time in status at the end.
 * Run it with `npx tsx examples/service-in-memory.ts` (or `npm run demo`, after the scripted day).
 */
import { BASE_STATUSES, createPresenceMachine, type PresenceConfig, type PresenceEvent } from 'agent-presence';
import { PresenceEventError } from 'agent-presence/schema';
import { addPresence, assignPresences, setCapacity } from 'agent-presence/admin';
import { createMemoryPresenceStore, createMemoryPublisher, createPresenceService, type RosterQuery } from 'agent-presence/service';

const DAY = Date.UTC(2026, 10, 24);
/** Epoch milliseconds of a time of day, `'09:05'`. */
const time = (hhmm: string): number => {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  return DAY + (hours * 60 + minutes) * 60_000;
};
const hhmm = (at: number): string => new Date(at).toISOString().slice(11, 16);

let config: PresenceConfig = {
  presences: [{ id: 'busy-wrap-up', name: 'Busy – Wrap-up', text: 'Wrapping up', base: 'Busy' }],
  defaultProfile: { capacity: 100 },
  agents: { dev: { capacity: 60, maxWorkItems: 2 } },
};

const store = createMemoryPresenceStore();
const publisher = createMemoryPublisher();
const service = createPresenceService({ machine: createPresenceMachine(config), store, publisher });
service.subscribe((change) =>
  console.log(`  ${hhmm(change.at)}  ${change.agentId.padEnd(5)} ${change.from.text} → ${change.to.text} (${change.source}, v${change.version})`),
);

const chats: RosterQuery = { units: 40, bases: ['Available', 'Busy'], limit: 3, order: 'mostFree' };
const ask = async (what: string, query: RosterQuery) => {
  const found = await service.findAvailable(query);
  const names = found.map((c) => `${c.agentId} (${c.freeUnits} free, idle since ${hhmm(c.idleSince)})`);
  console.log(`  ? ${what}: ${names.length > 0 ? names.join(', ') : 'nobody'}`);
};
const send = (agentId: string, event: PresenceEvent) => service.dispatch(agentId, event);

console.log('09:00 the shift starts — presence changes as the service publishes them:');
for (const agentId of ['ana', 'ben', 'cleo', 'dev']) await send(agentId, { type: 'signIn', at: time('09:00') });
await send('cleo', { type: 'setPresence', presenceId: 'away', at: time('09:01') });
await ask('a 40-unit chat, most free first', chats);

console.log('\n09:05 chats arrive, each given to the agent with the most room:');
for (const [n, at] of [
  [1, '09:05'],
  [2, '09:06'],
  [3, '09:07'],
  [4, '09:08'],
] as const) {
  const [best] = await service.findAvailable({ ...chats, limit: 1 });
  if (best === undefined) continue;
  console.log(`  chat-${n} → ${best.agentId}`);
  await send(best.agentId, { type: 'workAssigned', workItemId: `chat-${n}`, units: 40, at: time(at), eventId: `assign-chat-${n}` });
}
await ask('another 40-unit chat', chats);
await ask('the same, longest idle first', { ...chats, order: 'longestIdle' });

console.log('\n09:20 the chat platform redelivers a webhook, then sends a malformed one:');
const again = await service.dispatchRaw(
  'ana',
  JSON.stringify({ type: 'workAssigned', workItemId: 'chat-1', units: 40, at: time('09:05'), eventId: 'assign-chat-1' }),
);
console.log(`  redelivery of assign-chat-1: duplicate=${again.duplicate}, nothing applied, still v${again.version}`);
try {
  await service.dispatchRaw('ana', { type: 'workReleased', at: time('09:20') });
} catch (error) {
  if (error instanceof PresenceEventError)
    console.log(`  refused before touching the store: ${error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
}

console.log('\n09:30 work is released; ben wraps up:');
await send('ana', { type: 'workReleased', workItemId: 'chat-1', at: time('09:30') });
await send('ben', { type: 'workReleased', workItemId: 'chat-2', at: time('09:31') });
await send('ben', { type: 'setPresence', presenceId: 'busy-wrap-up', at: time('09:32') });
await ask('a chat, only for agents in the standard presences', { ...chats, presenceIds: ['available', 'busy'] });

console.log("\n10:00 an admin adds a presence and raises dev's capacity, at run time:");
config = setCapacity(
  addPresence(config, { id: 'away-coaching', name: 'Away – Coaching', text: 'In coaching', base: 'Away' }),
  { capacity: 100, maxWorkItems: 3 },
  'dev',
);
config = assignPresences(config, ['busy-wrap-up', 'away-coaching'], 'cleo');
service.reconfigure(createPresenceMachine(config));
await ask('a 40-unit chat after the change', chats);
await send('cleo', { type: 'setPresence', presenceId: 'away-coaching', at: time('10:01') });

console.log('\n12:00 the shift ends:');
for (const agentId of ['ana', 'ben', 'cleo', 'dev']) await send(agentId, { type: 'signOut', at: time('12:00') });

console.log('\nTime in status, 09:00–12:00:');
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
for (const agentId of ['ana', 'ben', 'cleo', 'dev']) {
  const t = await service.timeInStatus(agentId, { from: time('09:00'), to: time('12:00') });
  const bases = BASE_STATUSES.filter((b) => t.byBase[b] > 0).map((b) => `${b} ${minutes(t.byBase[b])}`);
  console.log(`  ${agentId.padEnd(5)} ${bases.join(', ')}`);
}
console.log(`\n${publisher.changes().length} presence changes published; ${store.size} agents stored.`);
