/**
 * The baseline a team would write by hand: a plain reducer with the same rules as the core (capacity → presence;
 * a manual Available or Busy until the next work event; Away, Do not disturb and Offline sticky; sign-in applies
 * the default; domain refusals return the state unchanged), for the benchmark config only. It trusts its input:
 * no checks of the event's shape, no rejection messages, no `late` handling — the core does all three.
 */
import type { BaseStatus, PresenceEvent } from 'agent-presence';
import { BENCH_CONFIG, type Contender, type Observed } from './benchMix';

interface Presence extends Observed {
  readonly presenceId: string;
  readonly base: BaseStatus;
  readonly text: string;
  readonly sticky: boolean;
}

export interface ReducerState {
  readonly agentId: string;
  readonly signedIn: boolean;
  readonly presence: Presence;
  readonly since: number;
  readonly choice: Presence | null;
  readonly work: readonly { readonly workItemId: string; readonly units: number; readonly since: number }[];
  readonly lastAt: number;
}

const presence = (presenceId: string, base: BaseStatus, text: string): Presence => ({
  presenceId,
  base,
  text,
  sticky: base === 'Away' || base === 'BusyDND' || base === 'Offline',
});
const CATALOG = new Map<string, Presence>(
  [
    presence('available', 'Available', 'Available'),
    presence('busy', 'Busy', 'Busy'),
    presence('busy-dnd', 'BusyDND', 'Do not disturb'),
    presence('away', 'Away', 'Appear away'),
    presence('offline', 'Offline', 'Offline'),
    ...BENCH_CONFIG.presences.map((p) => presence(p.id, p.base, p.name)),
  ].map((p) => [p.presenceId, p]),
);
const get = (id: string): Presence => CATALOG.get(id) as Presence;
const OFFLINE = get('offline');
const BY_LEVEL = { none: get('available'), partial: get('busy'), full: get('busy-dnd') };
const { capacity, maxWorkItems } = BENCH_CONFIG.defaultProfile;

export function reduce(state: ReducerState, event: PresenceEvent): ReducerState {
  let { signedIn, choice, work } = state;
  const at = Math.max(event.at, state.lastAt);
  switch (event.type) {
    case 'signIn':
      if (!signedIn) {
        signedIn = true;
        choice = null; // the default, `available`, is not sticky: capacity decides
      }
      break;
    case 'signOut':
      signedIn = false;
      choice = null;
      break;
    case 'setPresence': {
      const picked = CATALOG.get(event.presenceId);
      if (!signedIn || picked === undefined) return state;
      choice = picked;
      break;
    }
    case 'workAssigned':
      if (work.some((w) => w.workItemId === event.workItemId)) return state;
      work = [...work, { workItemId: event.workItemId, units: event.units ?? 0, since: at }];
      if (choice !== null && !choice.sticky) choice = null;
      break;
    case 'workReleased': {
      const index = work.findIndex((w) => w.workItemId === event.workItemId);
      if (index < 0) return state;
      work = work.filter((_, i) => i !== index);
      if (choice !== null && !choice.sticky) choice = null;
      break;
    }
    case 'heartbeat':
    case 'disconnected':
    case 'activity':
    case 'tick':
    case 'resetPresence':
    case 'wrapUpEnded':
    case 'workMissed':
    case 'workRejected':
      // A plain reducer as people first write one: these events move only the time.
      break;
  }
  let next: Presence;
  if (!signedIn) next = OFFLINE;
  else if (choice !== null) next = choice;
  else {
    let used = 0;
    for (const w of work) used += w.units;
    next = used >= capacity || work.length >= maxWorkItems ? BY_LEVEL.full : work.length > 0 ? BY_LEVEL.partial : BY_LEVEL.none;
  }
  const since = next === state.presence ? state.since : at;
  return { agentId: state.agentId, signedIn, presence: next, since, choice, work, lastAt: at };
}

export const reducerContender: Contender<ReducerState> = {
  name: 'plain reducer',
  create: (agentId) => ({ agentId, signedIn: false, presence: OFFLINE, since: 0, choice: null, work: [], lastAt: 0 }),
  send(agent, event) {
    const next = reduce(agent, event);
    return { agent: next, observed: next.presence };
  },
  drive(agents, events) {
    let busy = 0;
    for (let a = 0; a < agents.length; a++) {
      let state = agents[a] as ReducerState;
      for (let e = 0; e < events.length; e++) {
        state = reduce(state, events[e] as PresenceEvent);
        if (state.presence.base === 'Busy') busy++;
      }
      agents[a] = state;
    }
    return busy;
  },
};
