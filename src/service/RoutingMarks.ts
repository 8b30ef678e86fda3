import type { PresenceState } from '../core/index';

/**
 * What routing remembers of an agent beyond the machine's state, kept by the service in the agent's stored record
 * (beside the remembered event ids) and updated by every save: when the agent last finished work (an item left
 * their work list: released, or its wrap-up ended) and when they were last routed an item (an item joined it).
 * The machine's state forgets an item once it ends, so these cannot be read from it; the core stays as it is.
 * `findAvailable`'s `longestIdle` and `leastRecentlyOffered` orders rank by them.
 *
 * @category Roster
 * @example
 * ```ts
 * import type { RoutingMarks } from 'agent-presence/service';
 * const marks: RoutingMarks = { workEndedAt: 9_200, routedAt: 9_100 };
 * ```
 */
export interface RoutingMarks {
  /** When an item the agent held last ended (the applied time of the event or deadline that removed it). */
  readonly workEndedAt?: number;
  /** When the agent was last given an item (the latest `since` of an item that joined their work). */
  readonly routedAt?: number;
}

/**
 * The marks after a transition from `before` to `after`: items gone mark work ended (at the wrap-up's end when
 * it had one and it is past, else at the state's latest applied time), items new mark the agent routed (at the
 * item's `since`). Marks never move back. Returns `marks` itself when nothing moved.
 *
 * @internal
 */
export function nextMarks(before: PresenceState | undefined, after: PresenceState, marks: RoutingMarks | undefined): RoutingMarks | undefined {
  const earlier = before?.work ?? [];
  if (earlier === after.work || (earlier.length === 0 && after.work.length === 0)) return marks;
  let ended = marks?.workEndedAt;
  let routed = marks?.routedAt;
  const now = new Set<string>();
  for (const item of after.work) now.add(item.workItemId);
  const held = new Set<string>();
  for (const item of earlier) {
    held.add(item.workItemId);
    if (now.has(item.workItemId)) continue;
    const at = item.wrapUpUntil !== undefined && item.wrapUpUntil <= after.lastAt ? item.wrapUpUntil : after.lastAt;
    if (ended === undefined || at > ended) ended = at;
  }
  for (const item of after.work) {
    if (!held.has(item.workItemId) && (routed === undefined || item.since > routed)) routed = item.since;
  }
  if (ended === marks?.workEndedAt && routed === marks?.routedAt) return marks;
  return { ...(ended !== undefined ? { workEndedAt: ended } : {}), ...(routed !== undefined ? { routedAt: routed } : {}) };
}

/**
 * When the agent was last active for routing: the latest of when their presence last changed, when they were
 * given the work they hold, and when they last finished work (`marks.workEndedAt`).
 *
 * @internal
 */
export function idleSinceOf(state: PresenceState, marks?: RoutingMarks): number {
  let latest = state.since;
  for (const item of state.work) if (item.since > latest) latest = item.since;
  const ended = marks?.workEndedAt;
  return ended !== undefined && ended > latest ? ended : latest;
}

/**
 * The later of two marks, field by field (a roster entry keeps what it knew when a save it hears of carries none).
 *
 * @internal
 */
export function laterMarks(a: RoutingMarks | undefined, b: RoutingMarks | undefined): RoutingMarks | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  const pick = (x: number | undefined, y: number | undefined) => (x === undefined ? y : y === undefined ? x : Math.max(x, y));
  const ended = pick(a.workEndedAt, b.workEndedAt);
  const routed = pick(a.routedAt, b.routedAt);
  return { ...(ended !== undefined ? { workEndedAt: ended } : {}), ...(routed !== undefined ? { routedAt: routed } : {}) };
}
