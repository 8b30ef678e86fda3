import { fieldRules, formatIssues, type PresenceIssue } from '../core/index';
import { describeValue } from '../core/internal';
import type { DispatchEvent, DispatchResult, PresenceService } from './createPresenceService';
import type { RosterReserve } from './ports';
import { readFieldsOnce, resolveRosterQuery, ROSTER_QUERY_DEFAULTS, type RosterCandidate, type RosterQuery } from './RosterQuery';

/**
 * A work item to route: its id, the capacity units it needs and the capacity profile it counts against (as in
 * `workAssigned`), and optionally the event's `at` (else the service's clock) and `eventId` (dedup, per agent).
 *
 * @category Routing
 * @example
 * ```ts
 * import type { RouteItem } from 'agent-presence/service';
 * const chat: RouteItem = { workItemId: 'chat-42', units: 30, profile: 'chat' };
 * ```
 */
export interface RouteItem {
  readonly workItemId: string;
  readonly units?: number | undefined;
  readonly profile?: string | undefined;
  readonly at?: number | undefined;
  readonly eventId?: string | undefined;
}

/**
 * How `route` hands the item to the agent it picked, one event per mode (`RouteOptions.mode`): `assign` dispatches
 * `workAssigned` (the agent holds the item at once). A mode that offers the item (to accept or reject) is one more
 * entry here.
 *
 * @category Routing
 * @example
 * ```ts
 * import { ROUTE_EVENTS } from 'agent-presence/service';
 * console.log(ROUTE_EVENTS.assign({ workItemId: 'chat-1', units: 30 })); // { type: 'workAssigned', workItemId: 'chat-1', units: 30 }
 * ```
 */
export const ROUTE_EVENTS = {
  /** `workAssigned`: the agent holds the item at once. */
  assign: (item: RouteItem): DispatchEvent => ({
    type: 'workAssigned',
    workItemId: item.workItemId,
    units: item.units ?? 0,
    ...(item.profile !== undefined ? { profile: item.profile } : {}),
    ...(item.at !== undefined ? { at: item.at } : {}),
    ...(item.eventId !== undefined ? { eventId: item.eventId } : {}),
  }),
} as const;

/**
 * How `route` gives the item to the agent: `assign` (a `workAssigned`, the agent holds it at once).
 *
 * @category Routing
 * @example
 * ```ts
 * import type { RouteMode } from 'agent-presence/service';
 * const mode: RouteMode = 'assign';
 * ```
 */
export type RouteMode = keyof typeof ROUTE_EVENTS;

/**
 * Where and how `route` routes: the roster query (see {@link RosterQuery}; `units` and `profile` come from the
 * item), plus:
 *
 * - `mode`: how the item is given (default `assign`);
 * - `spread`: the first agent tried is picked at random among the best `spread` candidates (default 4; 1: always
 *   the best), so that routers working at once, in this process or others, do not all pile on the same agent;
 * - `lane`: for routers in several processes, this router's place among them (`{ index, of }`, e.g. the process's
 *   instance number and how many there are): it tries first the candidates of its own lane (a hash of the agent id,
 *   modulo `of`), so that routers in different processes go for different agents (within a process, `route` keeps
 *   its routes apart by itself);
 * - `reserveMs`: on a store that reserves (Redis), the roster read of a route reserves, in the same step, the best
 *   agent no other router holds (one per shard read), and routers in other processes try it last; the first agent
 *   tried is one of those this route reserved, and the reservation is given back once its dispatch is done. This is
 *   the most it holds when not given back (a router that died), in ms (default 500; 0: reserve nothing; at most
 *   60,000). In one process `route` keeps its routes apart by itself, on any store;
 * - `rounds`: how many times the roster is asked again, without the agents already tried, once every candidate
 *   declined or refused (default 3);
 * - `random`: the source of the pick (default `Math.random`; give a seeded one for repeatable tests).
 *
 * @category Routing
 * @example
 * ```ts
 * import type { RouteOptions } from 'agent-presence/service';
 * const chatQueue: RouteOptions = { order: 'longestIdle', bases: ['Available'], exclude: ['agent-3'], spread: 1 };
 * ```
 */
export interface RouteOptions extends Omit<RosterQuery, 'units' | 'profile'> {
  /** How the item is given (default `assign`). */
  readonly mode?: RouteMode | undefined;
  /** The first agent tried is picked at random among the best `spread` (default 4; 1: always the best). */
  readonly spread?: number | undefined;
  /** This router's place among routers in several processes: its own lane's candidates are tried first. */
  readonly lane?: { readonly index: number; readonly of: number } | undefined;
  /** How long a route's reservation of its pick holds at most, ms, on a store that reserves (default 500; 0: none). */
  readonly reserveMs?: number | undefined;
  /** How many times the roster is asked, each time without the agents already tried (default 3). */
  readonly rounds?: number | undefined;
  /** The source of the random pick (default `Math.random`). */
  readonly random?: (() => number) | undefined;
}

/**
 * One agent `route` tried and did not give the item to: `declined` (the agent could no longer take it when the
 * assignment was applied: filled up, or left the bases asked, since the roster answered) or `refused` (the machine
 * refused the event, with its code, e.g. `DUPLICATE_WORK_ITEM`).
 *
 * @category Routing
 * @example
 * ```ts
 * import type { RouteAttempt } from 'agent-presence/service';
 * const missed: RouteAttempt = { agentId: 'agent-3', outcome: 'refused', code: 'DUPLICATE_WORK_ITEM' };
 * ```
 */
export interface RouteAttempt {
  readonly agentId: string;
  readonly outcome: 'declined' | 'refused';
  readonly code?: string;
}

/**
 * What `route` did: the agent given the item (with the dispatch's result), or none and why — `noEligibleAgent`
 * (the roster offered nobody), `allDeclined` (every agent offered, over every round, declined or refused it) or
 * `itemTaken` (an agent holds the item already: `WORK_ITEM_TAKEN`, or `DUPLICATE_WORK_ITEM` from the candidate
 * holding it; no other agent is tried, so an item is never given to two).
 * `tried` lists the agents that declined or refused, in the order tried.
 *
 * @category Routing
 * @example
 * ```ts
 * import type { RouteResult } from 'agent-presence/service';
 * const say = (r: RouteResult) => (r.routed ? `to ${r.agentId}` : `not routed: ${r.reason} (${r.tried.length} tried)`);
 * ```
 */
export type RouteResult =
  | { readonly routed: true; readonly agentId: string; readonly result: DispatchResult; readonly tried: readonly RouteAttempt[] }
  | { readonly routed: false; readonly reason: 'noEligibleAgent' | 'allDeclined' | 'itemTaken'; readonly tried: readonly RouteAttempt[] };

/** The lane of an agent among `of`: FNV-1a of its id (UTF-16 code units), modulo `of`. */
function laneOf(agentId: string, of: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < agentId.length; i++) {
    hash ^= agentId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % of;
}

/** `route`'s default pick: among the best 4. */
const DEFAULT_SPREAD = 4;
/** `route`'s default rounds. */
const DEFAULT_ROUNDS = 3;
/** `route`'s default reservation lease (ms), and its bound. */
const DEFAULT_RESERVE_MS = 500;
/**
 * The longest reservation lease (ms): `route`'s `reserveMs` and a store's `RosterReserve.leaseMs` are at most this,
 * so a reservation held for longer is taken as lapsed (on Redis: left by a clock that went back).
 *
 * @internal
 */
export const MAX_RESERVE_MS = 60_000;

/** The item and options checked; throws a TypeError naming each bad field. */
/** The fields of a route's item and options, each read once (see `readFieldsOnce`). */
const ITEM_FIELDS = ['workItemId', 'units', 'profile', 'at', 'eventId'] as const;
const OPTION_FIELDS = [
  'mode',
  'spread',
  'lane',
  'reserveMs',
  'rounds',
  'random',
  'units',
  'profile',
  'bases',
  'presenceIds',
  'exclude',
  'limit',
  'order',
  'after',
] as const;

/**
 * The item and options as plain copies, each field read once and then checked: a getter that throws, or one that
 * would answer differently later, never reaches the dispatch. Throws a TypeError naming each bad field.
 */
function readOnce(item: RouteItem, options: RouteOptions | undefined): { item: RouteItem; options: RouteOptions | undefined } {
  const issues: PresenceIssue[] = [];
  const itemCopy = readFieldsOnce(item, ITEM_FIELDS, ['item'], issues);
  let optionsCopy = options === undefined ? undefined : readFieldsOnce(options as RouteOptions & RosterQuery, OPTION_FIELDS, ['options'], issues);
  const lane = optionsCopy?.lane;
  if (lane !== undefined) optionsCopy = { ...optionsCopy, lane: readFieldsOnce(lane, ['index', 'of'], ['options', 'lane'], issues) };
  if (issues.length > 0) throw new TypeError(formatIssues(issues, 'route: invalid request'));
  check(itemCopy, optionsCopy);
  return { item: itemCopy, options: optionsCopy };
}

function check(item: RouteItem, options: RouteOptions | undefined): void {
  const issues: PresenceIssue[] = [];
  const add = (path: string[], problem: string | undefined) => {
    if (problem !== undefined) issues.push({ path, message: problem });
  };
  if (typeof item !== 'object' || item === null) {
    issues.push({ path: ['item'], message: 'must be an object { workItemId, units?, profile? }' });
  } else {
    add(['item', 'workItemId'], fieldRules.id(item.workItemId));
    if (item.units !== undefined) add(['item', 'units'], fieldRules.units(item.units));
    if (item.profile !== undefined) add(['item', 'profile'], fieldRules.id(item.profile));
    if (item.at !== undefined) add(['item', 'at'], fieldRules.time(item.at));
    if (item.eventId !== undefined) add(['item', 'eventId'], fieldRules.id(item.eventId));
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    issues.push({ path: ['options'], message: 'must be an object' });
  } else {
    if (options?.mode !== undefined && (typeof options.mode !== 'string' || !Object.hasOwn(ROUTE_EVENTS, options.mode)))
      add(['options', 'mode'], `must be one of ${Object.keys(ROUTE_EVENTS).join(', ')} (got ${describeValue(options.mode)})`);
    const whole = (value: unknown, max: number) =>
      Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max
        ? undefined
        : `must be a whole number from 1 to ${max} (got ${describeValue(value)})`;
    if (options?.spread !== undefined) add(['options', 'spread'], whole(options.spread, ROSTER_QUERY_DEFAULTS.maxLimit));
    if (options?.rounds !== undefined) add(['options', 'rounds'], whole(options.rounds, 100));
    const reserveMs = options?.reserveMs;
    if (reserveMs !== undefined && !(Number.isInteger(reserveMs) && reserveMs >= 0 && reserveMs <= MAX_RESERVE_MS))
      add(['options', 'reserveMs'], `must be a whole number of ms from 0 to ${MAX_RESERVE_MS} (got ${describeValue(reserveMs)})`);
    if (options?.random !== undefined && typeof options.random !== 'function') add(['options', 'random'], 'must be a function returning a number in [0, 1)');
    const lane = options?.lane;
    if (lane !== undefined) {
      if (typeof lane !== 'object' || lane === null) add(['options', 'lane'], 'must be { index, of }');
      else {
        add(['options', 'lane', 'of'], whole(lane.of, 10_000));
        if (!(Number.isInteger(lane.index) && lane.index >= 0 && lane.index < lane.of))
          add(['options', 'lane', 'index'], `must be a whole number from 0 to of - 1 (got ${describeValue(lane.index)})`);
      }
    }
  }
  if (issues.length > 0) throw new TypeError(formatIssues(issues, 'route: invalid request'));
}

/**
 * A candidate as `route` reads it: with, on a store that reserves, the reservation its read took (`reservation`) or
 * another router holds (`reservedElsewhere`).
 *
 * @internal
 */
export interface RouteCandidate extends RosterCandidate {
  readonly reservation?: string;
  readonly reservedElsewhere?: boolean;
}

/**
 * What `routeItem` uses of the service: its dispatch, its roster read (reserving for the route when asked), and the
 * release of a reservation.
 *
 * @internal
 */
export interface Router {
  readonly dispatch: PresenceService['dispatch'];
  findCandidates(query: RosterQuery, reserve?: RosterReserve): Promise<RouteCandidate[]>;
  releaseReservation?(agentId: string, reservation: string): void;
  /** Moves the shared `roundRobin` rotation on to the agent routed to (when the route kept no rotation of its own). */
  rotate?(agentId: string): Promise<unknown>;
}

/**
 * Routes one item: asks the roster for the best agents, gives the item to one of them with a precondition checked
 * inside the store's compare-and-set (the agent is still in the bases asked and `canTake` accepts the item), and
 * goes on to the next candidate when one declines or refuses; asks the roster again without those tried, up to
 * `rounds` times. The service's `route` method calls it.
 *
 * To spread routers working at once: the agents this service is giving an item to right now (`inFlight`, shared by
 * every route of the service; the roster does not show their new item before its save) are tried last, and the
 * first tried is picked at random among the best `spread` of the others (routers in other processes pick apart).
 * On a store that reserves, the read reserves for this route the best agents no other router holds (one per
 * shard), the first tried is picked among those, the others are given back at once, and the agents other routers
 * hold are tried last.
 *
 * @internal
 */
export async function routeItem(
  service: Router,
  item: RouteItem,
  options: RouteOptions | undefined,
  inFlight: Map<string, number> = new Map(),
): Promise<RouteResult> {
  ({ item, options } = readOnce(item, options));
  const { mode, spread: spreadOption, lane, reserveMs, rounds: roundsOption, random: randomOption, ...roster } = options ?? {};
  const lease = reserveMs ?? DEFAULT_RESERVE_MS;
  const reserve = lease > 0 && service.releaseReservation !== undefined ? { leaseMs: lease } : undefined;
  const query = resolveRosterQuery({ ...roster, units: item.units ?? 0, profile: item.profile }, 'route');
  const event = ROUTE_EVENTS[mode ?? 'assign'](item);
  const spread = spreadOption ?? DEFAULT_SPREAD;
  const rounds = roundsOption ?? DEFAULT_ROUNDS;
  const random = randomOption ?? Math.random;
  const bases = new Set<string>(query.bases);
  const ids = query.presenceIds === undefined ? undefined : new Set(query.presenceIds);
  const request = query.profile === undefined ? { units: query.units } : { units: query.units, profile: query.profile };
  const precondition: NonNullable<Parameters<PresenceService['dispatch']>[2]>['precondition'] = (state, machine) => {
    const presence = machine.presenceOf(state);
    return bases.has(presence.base) && (ids === undefined || ids.has(presence.presenceId)) && machine.canTake(state, request);
  };
  const tried: RouteAttempt[] = [];
  const excluded = [...query.exclude];
  for (let round = 0; round < rounds; round++) {
    const candidates = await service.findCandidates({ ...query, exclude: excluded }, reserve);
    if (candidates.length === 0) break;
    // Those not being given an item now (here, or by another router holding a reservation) first; the first tried
    // at random among the best `spread` of them (of those this read reserved, when it reserved any), then the rest
    // of those, then the others, in order; those being given an item last.
    // With a lane, this router's own agents first (in rank order), then the others'.
    const isBusy = (c: RouteCandidate) => inFlight.has(c.agentId) || c.reservedElsewhere === true;
    const free = candidates.filter((c) => !isBusy(c));
    const idle =
      lane === undefined
        ? free
        : [...free.filter((c) => laneOf(c.agentId, lane.of) === lane.index), ...free.filter((c) => laneOf(c.agentId, lane.of) !== lane.index)];
    const busy = candidates.filter(isBusy);
    const reserved = idle.filter((c) => c.reservation !== undefined);
    const pool = reserved.length > 0 ? reserved : idle;
    const top = Math.min(spread, pool.length);
    // A draw that is not a number in [0, 1) (NaN, say) picks the best: `pick` is always one of the pool.
    const drawn: unknown = random();
    const first = top === 0 || typeof drawn !== 'number' || !(drawn > 0) ? 0 : Math.min(top - 1, Math.floor(drawn * top));
    const pick = pool[first];
    const order =
      pool === idle ? [...idle.slice(first, top), ...idle.slice(0, first), ...idle.slice(top), ...busy] : [pick!, ...idle.filter((c) => c !== pick), ...busy];
    // The reservations of those not tried first go back at once, for other routers to take.
    for (const c of candidates) if (c.reservation !== undefined && c !== pick) service.releaseReservation?.(c.agentId, c.reservation);
    for (const candidate of order) {
      const agentId = candidate.agentId;
      inFlight.set(agentId, (inFlight.get(agentId) ?? 0) + 1);
      let result: DispatchResult;
      try {
        result = await service.dispatch(agentId, event, { precondition });
      } finally {
        const left = (inFlight.get(agentId) ?? 1) - 1;
        if (left > 0) inFlight.set(agentId, left);
        else inFlight.delete(agentId);
        // Given or not, the agent's roster entry now tells: the reservation goes back (the others' went already).
        if (candidate === pick && candidate.reservation !== undefined) service.releaseReservation?.(agentId, candidate.reservation);
      }
      if (result.declined === true) {
        tried.push({ agentId: candidate.agentId, outcome: 'declined' });
      } else if (result.rejection !== undefined) {
        tried.push({ agentId: candidate.agentId, outcome: 'refused', code: result.rejection.code });
        // The item is held already, by another agent or by this one: no other candidate may have it (one item, one agent).
        if (result.rejection.code === 'WORK_ITEM_TAKEN' || result.rejection.code === 'DUPLICATE_WORK_ITEM')
          return { routed: false, reason: 'itemTaken', tried };
      } else {
        // The shared rotation moves on (a caller keeping its own, with `after`, moves it itself): by the options as
        // read once, not read again from the caller's object now that the item is given.
        if (query.order === 'roundRobin' && query.after === undefined) await service.rotate?.(candidate.agentId);
        return { routed: true, agentId: candidate.agentId, result, tried };
      }
      excluded.push(candidate.agentId);
    }
    if (excluded.length > ROSTER_QUERY_DEFAULTS.maxExclude) break;
  }
  return { routed: false, reason: tried.length === 0 ? 'noEligibleAgent' : 'allDeclined', tried };
}
