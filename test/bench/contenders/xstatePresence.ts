/**
 * The same rules as an XState v5 machine, run the usual XState way: one actor per agent, events sent to it, the
 * presence read from its snapshot. Guards refuse what the core refuses (the event is then ignored).
 */
import type { BaseStatus, HeldWorkItem, PresenceEvent } from 'agent-presence';
import { assign, createActor, setup, type ActorRefFrom } from 'xstate';
import { BENCH_CONFIG, type Contender } from './benchMix';

interface Definition {
  readonly id: string;
  readonly base: BaseStatus;
  readonly text: string;
}
const CATALOG = new Map<string, Definition>(
  (
    [
      { id: 'available', base: 'Available', text: 'Available' },
      { id: 'busy', base: 'Busy', text: 'Busy' },
      { id: 'busy-dnd', base: 'BusyDND', text: 'Do not disturb' },
      { id: 'away', base: 'Away', text: 'Appear away' },
      { id: 'offline', base: 'Offline', text: 'Offline' },
      ...BENCH_CONFIG.presences.map((p): Definition => ({ id: p.id, base: p.base, text: p.name })),
    ] satisfies Definition[]
  ).map((d) => [d.id, d]),
);
const def = (id: string): Definition => CATALOG.get(id) as Definition;
const sticky = (d: Definition | null): boolean => d !== null && (d.base === 'Away' || d.base === 'BusyDND' || d.base === 'Offline');
const { capacity, maxWorkItems } = BENCH_CONFIG.defaultProfile;

interface Context {
  readonly signedIn: boolean;
  readonly presence: Definition;
  readonly since: number;
  readonly choice: Definition | null;
  readonly work: readonly HeldWorkItem[];
  readonly lastAt: number;
}

/** The presence the context resolves to, and `since` moved when it changed. */
function settle(context: Context, signedIn: boolean, at: number, choice: Definition | null, work: readonly HeldWorkItem[]): Context {
  let presence: Definition;
  if (!signedIn) presence = def('offline');
  else if (choice !== null) presence = choice;
  else {
    const used = work.reduce((sum, w) => sum + w.units, 0);
    presence = used >= capacity || work.length >= maxWorkItems ? def('busy-dnd') : work.length > 0 ? def('busy') : def('available');
  }
  return { signedIn, presence, since: presence === context.presence ? context.since : at, choice, work, lastAt: at };
}

const atOf = (context: Context, event: PresenceEvent): number => Math.max(context.lastAt, event.at);

const machine = setup({
  types: { context: {} as Context, events: {} as PresenceEvent },
  guards: {
    canPick: ({ event }) => event.type === 'setPresence' && CATALOG.has(event.presenceId),
    notHeld: ({ context, event }) => event.type === 'workAssigned' && !context.work.some((w) => w.workItemId === event.workItemId),
    held: ({ context, event }) => event.type === 'workReleased' && context.work.some((w) => w.workItemId === event.workItemId),
  },
  actions: {
    signIn: assign(({ context, event }) => settle(context, true, atOf(context, event), null, context.work)),
    signOut: assign(({ context, event }) => settle(context, false, atOf(context, event), null, context.work)),
    pick: assign(({ context, event }) =>
      event.type === 'setPresence' ? settle(context, true, atOf(context, event), def(event.presenceId), context.work) : context,
    ),
    assignWork: assign(({ context, event }) => {
      if (event.type !== 'workAssigned') return context;
      const at = atOf(context, event);
      const work = [...context.work, { workItemId: event.workItemId, units: event.units ?? 0, since: at }];
      return settle(context, context.signedIn, at, sticky(context.choice) ? context.choice : null, work);
    }),
    releaseWork: assign(({ context, event }) => {
      if (event.type !== 'workReleased') return context;
      const work = context.work.filter((w) => w.workItemId !== event.workItemId);
      return settle(context, context.signedIn, atOf(context, event), sticky(context.choice) ? context.choice : null, work);
    }),
  },
}).createMachine({
  id: 'presence',
  initial: 'signedOut',
  context: { signedIn: false, presence: def('offline'), since: 0, choice: null, work: [], lastAt: 0 },
  states: {
    signedOut: {
      on: {
        signIn: { target: 'signedIn', actions: 'signIn' },
        workAssigned: { guard: 'notHeld', actions: 'assignWork' },
        workReleased: { guard: 'held', actions: 'releaseWork' },
      },
    },
    signedIn: {
      on: {
        signOut: { target: 'signedOut', actions: 'signOut' },
        setPresence: { guard: 'canPick', actions: 'pick' },
        workAssigned: { guard: 'notHeld', actions: 'assignWork' },
        workReleased: { guard: 'held', actions: 'releaseWork' },
      },
    },
  },
});

type Agent = ActorRefFrom<typeof machine>;

export const xstateContender: Contender<Agent> = {
  name: 'XState v5 actor',
  create: () => createActor(machine).start(),
  send(agent, event) {
    agent.send(event);
    const { presence } = agent.getSnapshot().context;
    return { agent, observed: { presenceId: presence.id, base: presence.base, text: presence.text } };
  },
  drive(agents, events) {
    let busy = 0;
    for (let a = 0; a < agents.length; a++) {
      const actor = agents[a] as Agent;
      for (let e = 0; e < events.length; e++) {
        actor.send(events[e] as PresenceEvent);
        if (actor.getSnapshot().context.presence.base === 'Busy') busy++;
      }
    }
    return busy;
  },
};
