/**
 * A simulated contact-center shift, run through the presence service: agents sign in, chats and cases arrive and
 * are routed by `findAvailable` to agents whose presence and capacity profiles allow them, agents decline some
 * offers and miss a few (the system sets them Inactive until they reset), wrap up after each item, take breaks,
 * lunch and training, lose their connection now and then, and sign out.
 *
 * The service lives in simulated time: its `Clock` and `Scheduler` are adapters over the simulation's agenda, so
 * the deadlines the core reports (a wrap-up's end, a reconnect grace's end) come back as `tick`s at their simulated
 * times. Timelines are drawn from the service's published changes (`subscribe`), ticks included. At the end the
 * service reports on the shift (`report`): once per team (the agents of one role) and once for the whole floor. No
 * wall clock, no I/O: the same options give the same result.
 */
import {
  createPresenceMachine,
  type AgentProfile,
  type BaseStatus,
  type PresenceConfig,
  type PresenceEvent,
  type PresenceSource,
  type PresenceState,
} from 'agent-presence';
import { createMemoryHistoryStore, createPresenceService, type DispatchResult, type PresenceReport } from 'agent-presence/service';
import { Agenda } from './Agenda';
import { createAgendaPorts } from './createAgendaPorts';
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
  /** Why the presence held: `capacity`, `manual`, `wrapUp`, `missed`, `disconnected`… */
  readonly source: PresenceSource;
}

export type Role = 'chat' | 'case' | 'blended';

export interface AgentReport {
  readonly agentId: string;
  readonly role: Role;
  readonly capacity: number;
  /** The day in presences, back to back from the shift's start to its end. */
  readonly segments: readonly Segment[];
  /** Milliseconds in each base status, from the service's history (`timeInStatus`); they add up to the shift's length. */
  readonly timeInBase: Readonly<Record<BaseStatus, number>>;
  /** Work items assigned. */
  readonly handled: number;
  /** Offers the agent declined (`workRejected`). */
  readonly refused: number;
  /** Offers that timed out unanswered (`workMissed`). */
  readonly missed: number;
  /** Times the agent's connection dropped. */
  readonly disconnects: number;
  /** The most units held at once, and the most items (items in wrap-up included: they hold capacity). */
  readonly peakUnits: number;
  readonly peakItems: number;
}

/** A team (the agents of one role) and the service's report on it over the shift (`service.report` with its agents). */
export interface TeamReport {
  readonly team: Role;
  /** Per agent of the team, in the order of the floor, and `totals` over them (what the team table shows). */
  readonly report: PresenceReport;
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
  /** The most items held across the floor at once (in wrap-up included), and when. */
  readonly peakLoad: { readonly items: number; readonly at: number };
  /** Releases followed by wrap-up time (every release is). */
  readonly wrapUps: number;
  /** Offers missed, each setting the agent Inactive until they reset their presence. */
  readonly missed: number;
  /** Dropped connections, and how the agents came back: within the reconnect grace (presence restored) or after it. */
  readonly disconnects: number;
  readonly reconnects: { readonly restored: number; readonly notRestored: number };
  /** Events the simulation dispatched, and `tick`s the service dispatched at the core's deadlines. */
  readonly events: number;
  readonly ticks: number;
  /** Events the service refused and failures it reported (the simulation means to cause none). */
  readonly rejections: readonly string[];
  /** The service's report per team, in the order of {@link TEAMS} (teams without agents left out). */
  readonly teams: readonly TeamReport[];
  /** The service's report on every agent it holds (`service.report` without `agentIds`), over the shift. */
  readonly everyone: PresenceReport;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DEFAULT_START = Date.UTC(2026, 2, 2, 9, 0);

const NAMES = [
  'Ana',
  'Ben',
  'Cleo',
  'Dev',
  'Eli',
  'Fay',
  'Gus',
  'Hana',
  'Ivo',
  'Jun',
  'Kai',
  'Lea',
  'Milo',
  'Nia',
  'Omar',
  'Pia',
  'Quin',
  'Rui',
  'Sol',
  'Tess',
];

const ROLES: readonly Role[] = ['chat', 'chat', 'case', 'blended', 'chat'];
/** The teams the report is given for: each role, in the order its first agent comes. */
export const TEAMS: readonly Role[] = [...new Set(ROLES)];

/** What each kind of work needs: units held, how long it takes, how often it comes per agent, wrap-up after it. */
const WORK = {
  chat: { units: 25, minMs: 2 * MINUTE, meanMs: 9 * MINUTE, perAgentPerMinute: 0.075, wrapUpMs: 1 * MINUTE },
  case: { units: 40, minMs: 5 * MINUTE, meanMs: 22 * MINUTE, perAgentPerMinute: 0.022, wrapUpMs: 3 * MINUTE },
} as const;
type Kind = keyof typeof WORK;

/** How long an offer waits for an answer before it counts as missed. */
const OFFER_TIMEOUT_MS = 45_000;

/** Capacity per role: units, and capacity profiles (each work item names its kind's profile). */
const ROLE_PROFILES: Readonly<Record<Role, AgentProfile>> = {
  chat: { capacity: 100, capacityProfiles: { chat: { maxItems: 3 } }, wrapUpMs: WORK.chat.wrapUpMs },
  case: { capacity: 120, capacityProfiles: { case: { maxItems: 3 } }, wrapUpMs: WORK.case.wrapUpMs },
  // Two cases block on their own (Do not disturb, no more chats); two chats alone leave room for a case.
  blended: { capacity: 100, capacityProfiles: { chat: { maxItems: 2 }, case: { maxItems: 2, blocking: true } }, wrapUpMs: WORK.chat.wrapUpMs },
};

/** Arrivals over the day: quiet at the start and end, busiest mid-shift. */
const demand = (fraction: number): number => 0.55 + 0.9 * Math.sin(Math.PI * fraction) ** 2;

interface Item {
  readonly id: string;
  readonly kind: Kind;
  readonly units: number;
  readonly arrivedAt: number;
  readonly durationMs: number;
  /** Agents who declined or missed it: not offered it again. */
  readonly refusedBy: Set<string>;
}

/** The presences and profiles of the simulated floor. */
export function shiftConfig(agentIds: readonly string[]): PresenceConfig {
  const agents: Record<string, AgentProfile> = {};
  agentIds.forEach((id, i) => {
    agents[id] = {
      ...ROLE_PROFILES[ROLES[i % ROLES.length] as Role],
      ...(i % 4 === 3 ? { defaultPresenceId: 'away' } : {}), // signs in Away, picks Available when settled
    };
  });
  return {
    presences: [
      { id: 'away-break', name: 'Away – Break', text: 'On a break', base: 'Away' },
      { id: 'away-lunch', name: 'Away – Lunch', text: 'At lunch', base: 'Away' },
      { id: 'away-training', name: 'Away – Training', text: 'In training', base: 'Away' },
      { id: 'busy-wrap-up', name: 'Busy – Wrap up', text: 'Wrap up', base: 'Busy', selectable: false },
    ],
    defaultProfile: {
      presenceIds: ['away-break', 'away-lunch', 'away-training'],
      wrapUpPresenceId: 'busy-wrap-up',
      onMissed: 'inactive',
    },
    agents,
  };
}

export async function simulateShift(options: ShiftOptions): Promise<ShiftResult> {
  const agentCount = options.agents ?? 20;
  const start = options.start ?? DEFAULT_START;
  const end = start + (options.hours ?? 8) * HOUR;
  const length = end - start;
  const random: Random = createRandom(options.seed);
  const ids = Array.from(
    { length: agentCount },
    (_, i) => (NAMES[i % NAMES.length] as string) + (i < NAMES.length ? '' : `-${Math.floor(i / NAMES.length) + 1}`),
  );
  const roleOf = new Map(ids.map((id, i) => [id, ROLES[i % ROLES.length] as Role]));
  const machine = createPresenceMachine(shiftConfig(ids));
  const count = (): Map<string, number> => new Map(ids.map((id) => [id, 0]));
  const bump = (counts: Map<string, number>, agentId: string): void => void counts.set(agentId, (counts.get(agentId) ?? 0) + 1);

  // ── the presence service, in simulated time ──────────────────────────────────────────────────────────────
  const agenda = new Agenda(start);
  const ports = createAgendaPorts(agenda, () => route(agenda.now)); // a tick may end a wrap-up: capacity is free
  const problems: string[] = [];
  const service = createPresenceService({
    machine,
    clock: ports.clock,
    scheduler: ports.scheduler,
    history: createMemoryHistoryStore({ limit: 100_000 }),
    onError: (error, context) => void problems.push(`${context.agentId} ${context.kind}: ${String(error)}`),
  });

  // Timelines from the changes the service publishes, those made by ticks included.
  const segments = new Map<string, Segment[]>(
    ids.map((id) => {
      const { presenceId, base, text, source } = machine.presenceOf(machine.initialState(id, start));
      return [id, [{ from: start, to: end, presenceId, base, text, source }]];
    }),
  );
  service.subscribe((change) => {
    const timeline = segments.get(change.agentId) as Segment[];
    const last = timeline.pop() as Segment;
    if (change.at > last.from) timeline.push({ ...last, to: change.at });
    const { presenceId, base, text, source } = change.to;
    timeline.push({ from: change.at, to: end, presenceId, base, text, source });
  });

  const latest = new Map<string, PresenceState>(); // each agent's state after the simulation's last event to it
  const peaks = new Map(ids.map((id) => [id, { units: 0, items: 0 }]));
  const rejections: string[] = [];
  let events = 0;
  let peakLoad = { items: 0, at: start };
  /** Items an agent holds at `at`: its latest state, less the wrap-ups that ended since (ticks end them). */
  const heldAt = (state: PresenceState | undefined, at: number): number =>
    state === undefined ? 0 : state.work.filter((w) => w.wrapUpUntil === undefined || w.wrapUpUntil > at).length;

  /** The one way the simulation sends an event: through the service. */
  async function dispatch(agentId: string, event: PresenceEvent): Promise<DispatchResult> {
    const result = await service.dispatch(agentId, event);
    events += 1;
    if (result.rejection !== undefined) rejections.push(`${agentId} ${event.type}: ${result.rejection.code}`);
    latest.set(agentId, result.state);
    if (event.type === 'workAssigned') {
      const work = result.state.work;
      const peak = peaks.get(agentId) as { units: number; items: number };
      peak.units = Math.max(
        peak.units,
        work.reduce((sum, item) => sum + item.units, 0),
      );
      peak.items = Math.max(peak.items, work.length);
      let floor = 0;
      for (const id of ids) floor += heldAt(latest.get(id), event.at);
      if (floor > peakLoad.items) peakLoad = { items: floor, at: event.at };
    }
    return result;
  }
  const stateOf = async (agentId: string): Promise<PresenceState> => (await service.get(agentId)).state;

  // ── the floor: arrivals, routing, agents' plans ───────────────────────────────────────────────────────────
  const queue: Item[] = [];
  const handled = count();
  const refused = count();
  const missedBy = count();
  const droppedBy = count();
  /** What keeps an agent from starting something else: a break, settling in, an unanswered offer, a dropped line. */
  const activity = new Map<string, string | null>(ids.map((id) => [id, null]));
  /** Agents away from the desk while an offer to them times out: routing passes them over. */
  const awayFromDesk = new Set<string>();
  /** From when an agent will miss the next offer (they step away without changing presence). */
  const missFrom = new Map<string, number>();
  const signOutAt = new Map<string, number>();
  const arrived = { chat: 0, case: 0 };
  const reconnects = { restored: 0, notRestored: 0 };
  let wrapUps = 0;
  let missed = 0;
  let disconnects = 0;
  let maxQueue = 0;
  let maxWait = 0;

  const requeue = (item: Item): void => {
    const index = queue.findIndex((waiting) => waiting.arrivedAt > item.arrivedAt);
    queue.splice(index < 0 ? queue.length : index, 0, item);
  };

  /** Offers waiting work, oldest first; returns when every item that can be placed is. */
  async function route(at: number): Promise<void> {
    for (let i = 0; i < queue.length;) {
      if (await offer(queue[i] as Item, at)) queue.splice(i, 1);
      else i += 1;
    }
  }

  /** Offers one item to the best agent the service finds; an agent may decline (next best) or miss it. */
  async function offer(item: Item, at: number): Promise<boolean> {
    for (;;) {
      const candidates = await service.findAvailable({
        units: item.units,
        bases: ['Available', 'Busy'],
        profile: item.kind,
        limit: item.refusedBy.size + awayFromDesk.size + 1, // enough to get past everyone passed over
        order: 'mostFree',
      });
      const best = candidates.find((c) => !item.refusedBy.has(c.agentId) && !awayFromDesk.has(c.agentId));
      if (best === undefined) return false;
      const agentId = best.agentId;
      if ((missFrom.get(agentId) ?? Infinity) <= at && activity.get(agentId) === null) {
        missFrom.delete(agentId);
        missOffer(agentId, item);
        return true; // out of the queue while the offer is pending
      }
      if (random.chance(0.03 + 0.05 * best.workItems)) {
        await dispatch(agentId, { type: 'workRejected', workItemId: item.id, at });
        item.refusedBy.add(agentId);
        bump(refused, agentId);
        continue;
      }
      await dispatch(agentId, { type: 'workAssigned', workItemId: item.id, profile: item.kind, units: item.units, at });
      bump(handled, agentId);
      maxWait = Math.max(maxWait, at - item.arrivedAt);
      agenda.add(at + item.durationMs, async () => {
        // The item holds its capacity through wrap-up; the tick at its end frees it (and routes).
        await dispatch(agentId, { type: 'workReleased', workItemId: item.id, wrapUpMs: WORK[item.kind].wrapUpMs, at: agenda.now });
        wrapUps += 1;
      });
      return true;
    }
  }

  /** The agent has stepped away: the offer times out, the system sets them Inactive, and they reset 1–3 min later. */
  function missOffer(agentId: string, item: Item): void {
    activity.set(agentId, 'missed offer');
    awayFromDesk.add(agentId);
    agenda.add(agenda.now + OFFER_TIMEOUT_MS, async () => {
      awayFromDesk.delete(agentId);
      await dispatch(agentId, { type: 'workMissed', workItemId: item.id, at: agenda.now });
      missed += 1;
      bump(missedBy, agentId);
      item.refusedBy.add(agentId);
      requeue(item);
      agenda.add(agenda.now + Math.round(random.between(1, 3) * MINUTE), async () => {
        activity.set(agentId, null);
        if ((await stateOf(agentId)).signedIn) await dispatch(agentId, { type: 'resetPresence', at: agenda.now });
        await route(agenda.now);
      });
      await route(agenda.now);
    });
  }

  const arrivals = (kind: Kind): void => {
    const spec = WORK[kind];
    const next = (from: number): void => {
      const rate = spec.perAgentPerMinute * agentCount * demand((from - start) / length);
      const at = from + Math.max(1_000, Math.round(random.exponential(MINUTE / rate)));
      if (at >= end) return;
      agenda.add(at, async () => {
        arrived[kind] += 1;
        const durationMs = Math.round(spec.minMs + random.exponential(spec.meanMs - spec.minMs));
        queue.push({ id: `${kind}-${arrived[kind]}`, kind, units: spec.units, arrivedAt: at, durationMs, refusedBy: new Set() });
        maxQueue = Math.max(maxQueue, queue.length);
        await route(at);
        next(at);
      });
    };
    next(start);
  };
  arrivals('chat');
  arrivals('case');

  /** Signs in; an agent whose default is Away settles in first, then picks Available. */
  async function signIn(agentId: string): Promise<void> {
    const { presence } = await dispatch(agentId, { type: 'signIn', at: agenda.now });
    if (presence.base !== 'Away' || presence.source !== 'default') return route(agenda.now);
    activity.set(agentId, 'settling in');
    agenda.add(agenda.now + Math.round(random.between(2, 8) * MINUTE), async () => {
      activity.set(agentId, null);
      if (!(await stateOf(agentId)).signedIn) return;
      await dispatch(agentId, { type: 'setPresence', presenceId: 'available', at: agenda.now });
      await route(agenda.now);
    });
  }

  /** A stretch in a sticky Away presence; postponed while something else is under way or before sign-in. */
  const plan = (agentId: string, at: number, presenceId: string, minutes: number): void => {
    agenda.add(at, async () => {
      if (activity.get(agentId) !== null || !(await stateOf(agentId)).signedIn) {
        if (agenda.now + 10 * MINUTE < end) plan(agentId, agenda.now + 10 * MINUTE, presenceId, minutes);
        return;
      }
      activity.set(agentId, presenceId);
      await dispatch(agentId, { type: 'setPresence', presenceId, at: agenda.now });
      agenda.add(agenda.now + minutes * MINUTE, async () => {
        activity.set(agentId, null);
        if (!(await stateOf(agentId)).signedIn) return;
        await dispatch(agentId, { type: 'setPresence', presenceId: 'available', at: agenda.now });
        await route(agenda.now);
      });
    });
  };

  /**
   * The agent's connection drops for `offlineMs`, then they sign in again: within the reconnect grace (2.5 min by
   * default) their presence comes back, after it the default applies. Postponed while something else is under way.
   */
  const drop = (agentId: string, at: number, offlineMs: number): void => {
    agenda.add(at, async () => {
      if (agenda.now + offlineMs + MINUTE >= (signOutAt.get(agentId) as number)) return; // too late in the shift
      if (activity.get(agentId) !== null || !(await stateOf(agentId)).signedIn) return drop(agentId, agenda.now + 5 * MINUTE, offlineMs);
      activity.set(agentId, 'disconnected');
      await dispatch(agentId, { type: 'disconnected', at: agenda.now });
      disconnects += 1;
      bump(droppedBy, agentId);
      agenda.add(agenda.now + offlineMs, async () => {
        activity.set(agentId, null);
        const { reconnect } = await stateOf(agentId);
        if (reconnect !== null && reconnect.until > agenda.now) reconnects.restored += 1;
        else reconnects.notRestored += 1;
        await signIn(agentId);
      });
    });
  };

  ids.forEach((agentId, i) => {
    const around = (fraction: number, spread: number): number => start + Math.round(length * (fraction + random.between(-spread, spread)));
    agenda.add(start + Math.round(random.between(0, Math.min(12 * MINUTE, length / 8))), () => signIn(agentId));
    plan(agentId, around(0.2, 0.05), 'away-break', 10);
    plan(agentId, around(0.78, 0.05), 'away-break', 10);
    if (length >= 4 * HOUR) plan(agentId, around(0.5, 0.08), 'away-lunch', 30);
    if (i % 4 === 1) plan(agentId, around(0.32, 0.04), 'away-training', Math.round(random.between(40, 60)));
    if (i % 4 === 0) missFrom.set(agentId, around(0.45, 0.2));
    if (i % 4 === 2) drop(agentId, around(0.4, 0.15), Math.round(random.between(1, 2) * MINUTE));
    if (i % 8 === 3) drop(agentId, around(0.6, 0.1), Math.round(random.between(4, 7) * MINUTE));
    const signOut = end - Math.round(random.between(0, Math.min(6 * MINUTE, length / 10)));
    signOutAt.set(agentId, signOut);
    agenda.add(signOut, async () => void (await dispatch(agentId, { type: 'signOut', at: agenda.now })));
  });

  let reported = 0;
  options.onProgress?.(0, start);
  while (agenda.size > 0 && agenda.peekAt() <= end) {
    const next = agenda.pop();
    await next.run();
    const minute = Math.floor((agenda.now - start) / MINUTE);
    if (minute > reported) {
      reported = minute;
      options.onProgress?.((agenda.now - start) / length, agenda.now);
    }
  }
  await service.close();
  options.onProgress?.(1, end);

  const agents: AgentReport[] = [];
  for (const agentId of ids) {
    // The service's own account of the day; before the first sign-in nothing was stored: offline.
    const time = await service.timeInStatus(agentId, { from: start, to: end });
    const timeInBase = { ...time.byBase, Offline: time.byBase.Offline + time.untracked };
    const peak = peaks.get(agentId) as { units: number; items: number };
    agents.push({
      agentId,
      role: roleOf.get(agentId) as Role,
      capacity: machine.profileOf(agentId).capacity,
      segments: (segments.get(agentId) as Segment[]).filter((s) => s.to > s.from),
      timeInBase,
      handled: handled.get(agentId) ?? 0,
      refused: refused.get(agentId) ?? 0,
      missed: missedBy.get(agentId) ?? 0,
      disconnects: droppedBy.get(agentId) ?? 0,
      peakUnits: peak.units,
      peakItems: peak.items,
    });
  }
  // The service's report over the shift, read from the history it kept (readable after close, as timeInStatus).
  const window = { from: start, to: end };
  const teams: TeamReport[] = [];
  for (const team of TEAMS) {
    const agentIds = ids.filter((id) => roleOf.get(id) === team);
    if (agentIds.length > 0) teams.push({ team, report: await service.report({ agentIds, ...window }) });
  }
  const everyone = await service.report(window);
  return {
    seed: options.seed,
    start,
    end,
    agents,
    arrived,
    waitingAtEnd: queue.length,
    maxQueue,
    maxWait,
    peakLoad,
    wrapUps,
    missed,
    disconnects,
    reconnects,
    events,
    ticks: ports.ticks,
    rejections: [...rejections, ...problems],
    teams,
    everyone,
  };
}
