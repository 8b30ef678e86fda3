/**
 * A simulated contact-center shift: agents sign in, chats and cases arrive and are routed to agents whose presence
 * allows it, agents refuse some offers, take breaks, lunch and training, and sign out. Pure: no clock, no I/O; the
 * same options give the same result.
 *
 * Every presence event goes through ONE function, `dispatch(agentId, event)`, and routing reads presence only
 * through `stateOf(agentId)`: swapping those two for a presence service changes nothing else.
 */
import {
  BASE_STATUSES,
  createPresenceMachine,
  type BaseStatus,
  type PresenceConfig,
  type PresenceEvent,
  type PresenceState,
  type Transition,
} from 'agent-presence';
import { createRandom, type Random } from './createRandom';

export interface ShiftOptions {
  /** Seeds the random generator: the same seed, the same shift. */
  readonly seed: number;
  /** How many agents work the shift (default 20). */
  readonly agents?: number;
  /** How long the shift lasts, in hours (default 8). */
  readonly hours?: number;
  /** When it starts, epoch milliseconds (default 09:00 UTC on 2 March 2026). */
  readonly start?: number;
  /** Told how far the simulation has got, at most once per simulated minute: 0 → 1, and the simulated time. */
  readonly onProgress?: (done: number, at: number) => void;
}

/** One stretch of an agent's day in one presence. */
export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly presenceId: string;
  readonly base: BaseStatus;
  readonly text: string;
}

export type Role = 'chat' | 'case' | 'blended';

export interface AgentReport {
  readonly agentId: string;
  readonly role: Role;
  readonly capacity: number;
  /** The day in presences, back to back from the shift's start to its end. */
  readonly segments: readonly Segment[];
  /** Milliseconds in each base status; they add up to the shift's length. */
  readonly timeInBase: Readonly<Record<BaseStatus, number>>;
  /** Work items assigned. */
  readonly handled: number;
  /** Offers the agent turned down. */
  readonly refused: number;
  /** The most units held at once, and the most items. */
  readonly peakUnits: number;
  readonly peakItems: number;
}

export interface ShiftResult {
  readonly seed: number;
  readonly start: number;
  readonly end: number;
  readonly agents: readonly AgentReport[];
  readonly arrived: { readonly chat: number; readonly case: number };
  /** Items still waiting for an agent when the shift ended. */
  readonly waitingAtEnd: number;
  /** The longest the waiting queue got, and the longest any item waited, in milliseconds. */
  readonly maxQueue: number;
  readonly maxWait: number;
  /** The most items held across the floor at once, and when. */
  readonly peakLoad: { readonly items: number; readonly at: number };
  /** Events dispatched, and those the machine refused (the simulation means to send none it would refuse). */
  readonly events: number;
  readonly rejections: readonly string[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DEFAULT_START = Date.UTC(2026, 2, 2, 9, 0);

const NAMES = [
  'Ana', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun',
  'Kai', 'Lea', 'Milo', 'Nia', 'Omar', 'Pia', 'Quin', 'Rui', 'Sol', 'Tess',
];

const ROLES: readonly Role[] = ['chat', 'chat', 'case', 'blended', 'chat'];

/** What each kind of work needs: units held, how long it takes, how often it comes per agent on the floor. */
const WORK = {
  chat: { units: 25, minMs: 2 * MINUTE, meanMs: 9 * MINUTE, perAgentPerMinute: 0.075 },
  case: { units: 40, minMs: 5 * MINUTE, meanMs: 22 * MINUTE, perAgentPerMinute: 0.022 },
} as const;
type Kind = keyof typeof WORK;

/** Arrivals over the day: quiet at the start and end, busiest mid-shift. */
const demand = (fraction: number): number => 0.55 + 0.9 * Math.sin(Math.PI * fraction) ** 2;

interface Item {
  readonly id: string;
  readonly kind: Kind;
  readonly units: number;
  readonly arrivedAt: number;
  readonly durationMs: number;
  readonly refusedBy: Set<string>;
}

/** A min-heap of things to do at a time; ties keep the order they were scheduled in. */
class Agenda {
  private readonly heap: { at: number; seq: number; run: () => void }[] = [];
  private seq = 0;
  get size(): number {
    return this.heap.length;
  }
  add(at: number, run: () => void): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }
  peekAt(): number {
    return this.heap[0]?.at ?? Infinity;
  }
  pop(): { at: number; run: () => void } {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.before(l, m)) m = l;
        if (r < heap.length && this.before(r, m)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

/** The presences and profiles of the simulated floor. */
export function shiftConfig(agentIds: readonly string[]): PresenceConfig {
  const agents: Record<string, { capacity: number; maxWorkItems?: number; defaultPresenceId?: string }> = {};
  agentIds.forEach((id, i) => {
    const role = ROLES[i % ROLES.length] as Role;
    agents[id] = {
      ...(role === 'case' ? { capacity: 80, maxWorkItems: 2 } : { capacity: 100, maxWorkItems: 4 }),
      ...(i % 4 === 3 ? { defaultPresenceId: 'away' } : {}), // signs in Away, picks Available when settled
    };
  });
  return {
    presences: [
      { id: 'away-break', name: 'Away – Break', text: 'On a break', base: 'Away' },
      { id: 'away-lunch', name: 'Away – Lunch', text: 'At lunch', base: 'Away' },
      { id: 'away-training', name: 'Away – Training', text: 'In training', base: 'Away' },
    ],
    defaultProfile: { presenceIds: ['away-break', 'away-lunch', 'away-training'] },
    agents,
  };
}

export function simulateShift(options: ShiftOptions): ShiftResult {
  const agentCount = options.agents ?? 20;
  const start = options.start ?? DEFAULT_START;
  const end = start + (options.hours ?? 8) * HOUR;
  const length = end - start;
  const random: Random = createRandom(options.seed);
  const ids = Array.from({ length: agentCount }, (_, i) => (NAMES[i % NAMES.length] as string) + (i < NAMES.length ? '' : `-${Math.floor(i / NAMES.length) + 1}`));
  const roleOf = new Map(ids.map((id, i) => [id, ROLES[i % ROLES.length] as Role]));
  const machine = createPresenceMachine(shiftConfig(ids));

  // ── the presence side: state, dispatch and what it records ─────────────────────────────────────────────
  const states = new Map<string, PresenceState>(ids.map((id) => [id, machine.initialState(id, start)]));
  const segments = new Map<string, Segment[]>(
    ids.map((id) => {
      const presence = machine.presenceOf(states.get(id) as PresenceState);
      return [id, [{ from: start, to: end, presenceId: presence.presenceId, base: presence.base, text: presence.text }]];
    }),
  );
  const peaks = new Map(ids.map((id) => [id, { units: 0, items: 0 }]));
  const rejections: string[] = [];
  let events = 0;
  let floorItems = 0;
  let peakLoad = { items: 0, at: start };

  /** The one way an event reaches an agent's presence. */
  function dispatch(agentId: string, event: PresenceEvent): Transition {
    const before = states.get(agentId) as PresenceState;
    const result = machine.transition(before, event);
    events += 1;
    states.set(agentId, result.state);
    if (result.rejection !== undefined) rejections.push(`${agentId} ${event.type}: ${result.rejection.code}`);
    if (result.changed) {
      const timeline = segments.get(agentId) as Segment[];
      const last = timeline.pop() as Segment;
      const at = result.presence.since;
      if (at > last.from) timeline.push({ ...last, to: at });
      const { presenceId, base, text } = result.presence;
      timeline.push({ from: at, to: end, presenceId, base, text });
    }
    const work = result.state.work;
    floorItems += work.length - before.work.length;
    if (floorItems > peakLoad.items) peakLoad = { items: floorItems, at: event.at };
    const peak = peaks.get(agentId) as { units: number; items: number };
    peak.units = Math.max(peak.units, work.reduce((sum, item) => sum + item.units, 0));
    peak.items = Math.max(peak.items, work.length);
    return result;
  }
  const stateOf = (agentId: string): PresenceState => states.get(agentId) as PresenceState;

  // ── the floor: arrivals, routing, agents' plans ───────────────────────────────────────────────────────────
  const agenda = new Agenda();
  const queue: Item[] = [];
  const handled = new Map(ids.map((id) => [id, 0]));
  const refused = new Map(ids.map((id) => [id, 0]));
  const activity = new Map<string, string | null>(ids.map((id) => [id, null]));
  const arrived = { chat: 0, case: 0 };
  let maxQueue = 0;
  let maxWait = 0;

  const takes = (agentId: string, kind: Kind): boolean => {
    const role = roleOf.get(agentId);
    return role === 'blended' || role === kind;
  };
  /** Free units, or -1 when the agent may not be offered `item` now (presence, item limit, role). */
  const room = (agentId: string, item: Item): number => {
    const state = stateOf(agentId);
    if (!state.signedIn || (state.base !== 'Available' && state.base !== 'Busy')) return -1;
    if (!takes(agentId, item.kind) || item.refusedBy.has(agentId)) return -1;
    const profile = machine.profileOf(agentId);
    if (profile.maxWorkItems !== undefined && state.work.length >= profile.maxWorkItems) return -1;
    const free = profile.capacity - state.work.reduce((sum, w) => sum + w.units, 0);
    return free >= item.units ? free : -1;
  };

  /** Offers waiting work, oldest first, to the agent with the most room; an agent may turn an offer down. */
  function route(at: number): void {
    for (let i = 0; i < queue.length; ) {
      const item = queue[i] as Item;
      let placed = false;
      for (;;) {
        let best: string | undefined;
        let bestRoom = -1;
        for (const id of ids) {
          const r = room(id, item);
          if (r > bestRoom) [best, bestRoom] = [id, r];
        }
        if (best === undefined) break;
        const held = stateOf(best).work.length;
        if (random.chance(0.03 + 0.05 * held)) {
          // Once sessions land, this is `dispatch(best, { type: 'workRejected', workItemId: item.id, at })`.
          item.refusedBy.add(best);
          refused.set(best, (refused.get(best) ?? 0) + 1);
          continue;
        }
        dispatch(best, { type: 'workAssigned', workItemId: item.id, units: item.units, at });
        handled.set(best, (handled.get(best) ?? 0) + 1);
        maxWait = Math.max(maxWait, at - item.arrivedAt);
        const agentId = best;
        agenda.add(at + item.durationMs, () => {
          dispatch(agentId, { type: 'workReleased', workItemId: item.id, at: now });
          route(now);
        });
        placed = true;
        break;
      }
      if (placed) queue.splice(i, 1);
      else i += 1;
    }
  }

  let now = start;
  const arrivals = (kind: Kind): void => {
    const spec = WORK[kind];
    const next = (from: number): void => {
      const rate = spec.perAgentPerMinute * agentCount * demand((from - start) / length);
      const at = from + Math.max(1_000, Math.round(random.exponential(MINUTE / rate)));
      if (at >= end) return;
      agenda.add(at, () => {
        arrived[kind] += 1;
        const durationMs = Math.round(spec.minMs + random.exponential(spec.meanMs - spec.minMs));
        queue.push({ id: `${kind}-${arrived[kind]}`, kind, units: spec.units, arrivedAt: at, durationMs, refusedBy: new Set() });
        maxQueue = Math.max(maxQueue, queue.length);
        route(at);
        next(at);
      });
    };
    next(start);
  };
  arrivals('chat');
  arrivals('case');

  /** A stretch in a sticky Away presence; postponed while another is under way or before sign-in. */
  const plan = (agentId: string, at: number, presenceId: string, minutes: number): void => {
    agenda.add(at, () => {
      const state = stateOf(agentId);
      if (activity.get(agentId) !== null || !state.signedIn) {
        if (now + 10 * MINUTE < end) plan(agentId, now + 10 * MINUTE, presenceId, minutes);
        return;
      }
      activity.set(agentId, presenceId);
      dispatch(agentId, { type: 'setPresence', presenceId, at: now });
      agenda.add(now + minutes * MINUTE, () => {
        activity.set(agentId, null);
        if (!stateOf(agentId).signedIn) return;
        dispatch(agentId, { type: 'setPresence', presenceId: 'available', at: now });
        route(now);
      });
    });
  };

  ids.forEach((agentId, i) => {
    const signInAt = start + Math.round(random.between(0, Math.min(12 * MINUTE, length / 8)));
    agenda.add(signInAt, () => {
      const { presence } = dispatch(agentId, { type: 'signIn', at: now });
      if (presence.base === 'Away') {
        // Signed in to an Away default: settles in, then picks Available.
        agenda.add(now + Math.round(random.between(2, 8) * MINUTE), () => {
          if (activity.get(agentId) !== null || !stateOf(agentId).signedIn) return;
          dispatch(agentId, { type: 'setPresence', presenceId: 'available', at: now });
          route(now);
        });
      } else route(now);
    });
    const around = (fraction: number, spread: number): number => start + Math.round(length * (fraction + random.between(-spread, spread)));
    plan(agentId, around(0.2, 0.05), 'away-break', 10);
    plan(agentId, around(0.78, 0.05), 'away-break', 10);
    if (length >= 4 * HOUR) plan(agentId, around(0.5, 0.08), 'away-lunch', 30);
    if (i % 4 === 1) plan(agentId, around(0.32, 0.04), 'away-training', Math.round(random.between(40, 60)));
    const signOutAt = end - Math.round(random.between(0, Math.min(6 * MINUTE, length / 10)));
    agenda.add(signOutAt, () => void dispatch(agentId, { type: 'signOut', at: now }));
  });

  let reported = 0;
  options.onProgress?.(0, start);
  while (agenda.size > 0 && agenda.peekAt() <= end) {
    const next = agenda.pop();
    now = next.at;
    next.run();
    const minute = Math.floor((now - start) / MINUTE);
    if (minute > reported) {
      reported = minute;
      options.onProgress?.((now - start) / length, now);
    }
  }
  options.onProgress?.(1, end);

  const agents = ids.map((agentId): AgentReport => {
    const timeline = segments.get(agentId) as Segment[];
    const timeInBase = Object.fromEntries(BASE_STATUSES.map((base) => [base, 0])) as Record<BaseStatus, number>;
    for (const s of timeline) timeInBase[s.base] += s.to - s.from;
    const peak = peaks.get(agentId) as { units: number; items: number };
    return {
      agentId,
      role: roleOf.get(agentId) as Role,
      capacity: machine.profileOf(agentId).capacity,
      segments: timeline,
      timeInBase,
      handled: handled.get(agentId) ?? 0,
      refused: refused.get(agentId) ?? 0,
      peakUnits: peak.units,
      peakItems: peak.items,
    };
  });
  return { seed: options.seed, start, end, agents, arrived, waitingAtEnd: queue.length, maxQueue, maxWait, peakLoad, events, rejections };
}
