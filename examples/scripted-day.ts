/**
 * A scripted day in a small contact center: three agents, one presence machine, every event printed with the
 * presence it leaves the agent in and why. Run it with `npm run demo`.
 *
 * - Ana works chats (30 units each) on a capacity of 100 and signs in Available.
 * - Ben takes calls, one at a time (`maxWorkItems: 1`), and signs in Away ("Appear away") until he is ready.
 * - Cleo works cases on a capacity of 60; her default is Busy, which capacity recalculates at sign-in.
 */
import {
  BASE_STATUSES,
  createPresenceMachine,
  type BaseStatus,
  type PresenceConfig,
  type PresenceEvent,
  type PresenceSource,
  type PresenceState,
  type Transition,
} from 'agent-presence';

const config: PresenceConfig = {
  presences: [
    { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' },
    { id: 'away-lunch', name: 'Away – Lunch', text: 'At lunch', base: 'Away' },
    { id: 'busy-wrap-up', name: 'Busy – Wrap-up', text: 'Wrapping up', base: 'Busy' },
    { id: 'dnd-escalation', name: 'Do not disturb – Escalation', text: 'On an escalation', base: 'BusyDND' },
    { id: 'away-coaching', name: 'Away – Coaching', base: 'Away', active: false },
  ],
  defaultProfile: { capacity: 100 },
  agents: {
    ana: { presenceIds: ['away-training', 'away-lunch', 'busy-wrap-up'] },
    ben: { defaultPresenceId: 'away', presenceIds: ['away-lunch'], maxWorkItems: 1, wrapUpMs: 180_000, wrapUpPresenceId: 'busy-wrap-up' },
    cleo: { defaultPresenceId: 'busy', presenceIds: ['away-lunch', 'dnd-escalation'], capacity: 60 },
  },
  capacityPresences: { none: 'available', partial: 'busy', full: 'busy-dnd' },
};

const DAY = Date.UTC(2026, 10, 24);
/** Epoch milliseconds of a time of day, `'09:05'`. */
const time = (hhmm: string): number => {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  return DAY + (hours * 60 + minutes) * 60_000;
};

type Step = readonly [clock: string, agentId: string, event: DistributiveOmit<PresenceEvent, 'at'>];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const script: readonly Step[] = [
  ['08:55', 'cleo', { type: 'workAssigned', workItemId: 'case-311', units: 20 }], // an async case, before sign-in
  ['09:00', 'ana', { type: 'signIn' }],
  ['09:00', 'ben', { type: 'signIn' }],
  ['09:02', 'cleo', { type: 'signIn' }],
  ['09:05', 'ana', { type: 'workAssigned', workItemId: 'chat-1', units: 30 }],
  ['09:06', 'ana', { type: 'workAssigned', workItemId: 'chat-2', units: 30 }],
  ['09:10', 'ben', { type: 'setPresence', presenceId: 'available' }],
  ['09:11', 'ben', { type: 'workAssigned', workItemId: 'call-1', units: 100 }],
  ['09:12', 'ana', { type: 'workAssigned', workItemId: 'chat-3', units: 30 }],
  ['09:14', 'ana', { type: 'workAssigned', workItemId: 'chat-4', units: 30 }], // forced: 120 of 100
  ['09:20', 'ana', { type: 'workReleased', workItemId: 'chat-1' }],
  ['09:25', 'ben', { type: 'workReleased', workItemId: 'call-1' }],
  ['09:28', 'ben', { type: 'tick' }], // the wrap-up deadline: 3 minutes after the release
  ['09:30', 'ben', { type: 'workAssigned', workItemId: 'call-2', units: 100 }],
  ['09:31', 'cleo', { type: 'setPresence', presenceId: 'dnd-escalation' }],
  ['09:35', 'cleo', { type: 'workAssigned', workItemId: 'case-312', units: 20 }],
  ['09:40', 'cleo', { type: 'workAssigned', workItemId: 'case-313', units: 20 }],
  ['09:45', 'ana', { type: 'setPresence', presenceId: 'dnd-escalation' }], // not in Ana's profile
  ['09:46', 'ana', { type: 'setPresence', presenceId: 'away-coaching' }], // inactive
  ['09:50', 'ben', { type: 'workReleased', workItemId: 'call-9' }], // he never held it
  ['10:00', 'ben', { type: 'workReleased', workItemId: 'call-2' }],
  ['10:05', 'cleo', { type: 'setPresence', presenceId: 'available' }],
  ['10:06', 'cleo', { type: 'workReleased', workItemId: 'case-311' }],
  ['10:30', 'ana', { type: 'workReleased', workItemId: 'chat-2' }],
  ['10:31', 'ana', { type: 'workReleased', workItemId: 'chat-3' }],
  ['10:32', 'ana', { type: 'workReleased', workItemId: 'chat-4' }],
  ['11:30', 'ana', { type: 'setPresence', presenceId: 'busy' }],
  ['11:40', 'ana', { type: 'disconnected' }], // the laptop lid closes
  ['11:42', 'ana', { type: 'signIn' }], // back within the 2.5-minute grace: Busy restored
  ['12:00', 'ana', { type: 'setPresence', presenceId: 'away-lunch' }],
  ['12:10', 'ana', { type: 'workAssigned', workItemId: 'chat-5', units: 30 }], // sticky: stays at lunch
  ['12:20', 'ana', { type: 'workReleased', workItemId: 'chat-5' }],
  ['12:45', 'ana', { type: 'setPresence', presenceId: 'available' }],
  ['13:00', 'ben', { type: 'signOut' }],
  ['13:05', 'ben', { type: 'setPresence', presenceId: 'available' }], // signed out
  ['14:00', 'ben', { type: 'signIn' }], // the default again
  ['14:01', 'ben', { type: 'setPresence', presenceId: 'available' }],
  ['15:00', 'cleo', { type: 'workAssigned', workItemId: 'case-314', units: 60 }],
  ['15:10', 'cleo', { type: 'disconnected' }],
  ['15:20', 'cleo', { type: 'signIn' }], // after the grace: the default again
  ['15:30', 'ana', { type: 'setPresence', presenceId: 'away-training' }],
  ['17:00', 'ana', { type: 'signOut' }],
  ['17:00', 'ben', { type: 'signOut' }],
  ['17:05', 'cleo', { type: 'signOut' }],
];

const machine = createPresenceMachine(config);
const agents = ['ana', 'ben', 'cleo'] as const;
const states = new Map<string, PresenceState>(agents.map((id) => [id, machine.initialState(id, time('08:00'))]));
/** Milliseconds each agent spent in each base status, counted from 08:00. */
const timeInBase = new Map<string, Map<BaseStatus, number>>(agents.map((id) => [id, new Map()]));

const CAUSES = {
  default: 'the default presence at sign-in',
  manual: 'picked by the agent',
  capacity: 'capacity',
  wrapUp: 'wrapping up',
  idle: 'no activity',
  missed: 'missed an offer',
  rejected: 'declined an offer',
  config: 'presence removed from the config',
  signOut: 'signed out',
  expired: 'session expired',
  disconnected: 'connection dropped',
} as const satisfies Record<PresenceSource, string>;

const describeEvent = (event: DistributiveOmit<PresenceEvent, 'at'>): string => {
  switch (event.type) {
    case 'signIn':
    case 'signOut':
      return event.type;
    case 'setPresence':
      return `setPresence ${event.presenceId}`;
    case 'workAssigned':
      return `assigned ${event.workItemId} (${event.units})`;
    case 'workReleased':
      return `released ${event.workItemId}${event.wrapUpMs ? ` (wrap-up ${event.wrapUpMs / 1000} s)` : ''}`;
    case 'heartbeat':
    case 'disconnected':
    case 'activity':
    case 'tick':
    case 'resetPresence':
    case 'wrapUpEnded':
    case 'workMissed':
    case 'workRejected':
      return event.type;
  }
};

const describeResult = (result: Transition): string => {
  if (result.rejection !== undefined) return `refused ${result.rejection.code}: ${result.rejection.message}`;
  const { presence, state } = result;
  const profile = machine.profileOf(state.agentId);
  const used = state.work.reduce((sum, item) => sum + item.units, 0);
  const load = `${used}/${profile.capacity} units, ${state.work.length} item${state.work.length === 1 ? '' : 's'}`;
  const cause = presence.source === 'capacity' ? `capacity: ${load}` : `${CAUSES[presence.source]}; ${load}`;
  const mark = result.changed ? '→' : '=';
  return `${mark} ${presence.text.padEnd(16)} [${presence.base.padEnd(9)}] ${cause}`;
};

const clock = (at: number): string => new Date(at).toISOString().slice(11, 16);
/** `4h18m` for a span of milliseconds. */
const duration = (ms: number): string => `${Math.floor(ms / 3_600_000)}h${String(Math.round((ms % 3_600_000) / 60_000)).padStart(2, '0')}m`;

const addTime = (state: PresenceState, until: number): void => {
  const totals = timeInBase.get(state.agentId) as Map<BaseStatus, number>;
  totals.set(state.base, (totals.get(state.base) ?? 0) + (until - state.lastAt));
};

console.log('A day at the contact center (times UTC). → the presence changed, = it stayed, refused: nothing changed.\n');
let refusals = 0;
for (const [hhmm, agentId, partial] of script) {
  const state = states.get(agentId) as PresenceState;
  const event = { ...partial, at: time(hhmm) } as PresenceEvent;
  const result = machine.transition(state, event);
  addTime(state, result.state.lastAt);
  states.set(agentId, result.state);
  if (result.rejection !== undefined) refusals += 1;
  console.log(`${hhmm}  ${agentId.padEnd(5)} ${describeEvent(partial).padEnd(26)} ${describeResult(result)}`);
}

const endOfDay = time('17:30');
console.log(`\nEnd of day (${clock(endOfDay)}): time in each base status from ${clock(time('08:00'))}, ${refusals} refused events.`);
for (const agentId of agents) {
  const state = states.get(agentId) as PresenceState;
  addTime(state, endOfDay);
  const totals = timeInBase.get(agentId) as Map<BaseStatus, number>;
  const parts = BASE_STATUSES.filter((base) => (totals.get(base) ?? 0) > 0).map((base) => `${base} ${duration(totals.get(base) ?? 0)}`);
  console.log(`  ${agentId.padEnd(5)} ${machine.presenceOf(state).text.padEnd(8)} ${parts.join(', ')}`);
}
