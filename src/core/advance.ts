import { unitsUsed, type WorkCount } from './capacityLevel';
import { deadlineOf, idleAt, mayIdle, sessionEnd, wrapsUp } from './deadlineOf';
import { draftOf, type Draft } from './Draft';
import type { HeldWorkItem, PresenceState } from './PresenceState';
import type { ResolvedConfig, ResolvedProfile } from './resolveConfig';
import { settle } from './settle';
import { staysThroughWork } from './staysThroughWork';
import { workChanged } from './workChanged';

/**
 * Applies every deadline due by `until`, each at its own time, in time order: sessions expire, the reconnect grace
 * and wrap-ups end, the agent turns idle. `since` is measured against the state before each deadline, or against
 * `reference` when given: after an event, the deadlines it made due at once (a wrap-up or a session time-to-live
 * too short to move `at`) fall at the same instant as the event, so a presence that comes back to the one before
 * the event did not change.
 *
 * Many deadlines in one call (a client silent for hours, a thousand wrap-ups) cost O((n + k) log n), not O(n·k):
 * the sessions and the items in wrap-up are sorted by when they end once, and each deadline moves a cursor and
 * updates the counts `settle` reads; the lists are cut once, at the end.
 */
export function advance(given: PresenceState, until: number, config: ResolvedConfig, profile: ResolvedProfile, reference?: PresenceState): PresenceState {
  if (deadlineOf(given, profile) > until) return given;
  const sessions = given.sessions.map((session) => ({ session, end: sessionEnd(session, profile) })).sort((a, b) => a.end - b.end);
  const wrapping = given.work.filter(wrapsUp).sort((a, b) => (a.wrapUpUntil as number) - (b.wrapUpUntil as number));
  // Units still held after the first i wrap-ups end: the items not in wrap-up, plus those of the later wrap-ups.
  const unitsAfter: number[] = [];
  unitsAfter[wrapping.length] = unitsUsed(given.work.filter((item) => !wrapsUp(item)));
  for (let i = wrapping.length - 1; i >= 0; i--) unitsAfter[i] = (unitsAfter[i + 1] as number) + (wrapping[i] as HeldWorkItem).units;
  const held = new Map<string | undefined, number>();
  for (const item of given.work) held.set(item.profile, (held.get(item.profile) ?? 0) + 1);
  let signedIn = 0; // cursor: sessions[signedIn…] are still signed in
  let wrapped = 0; // cursor: wrapping[wrapped…] are still in wrap-up
  let state = given;
  for (;;) {
    const due = Math.min(
      sessions[signedIn]?.end ?? Infinity,
      wrapping[wrapped]?.wrapUpUntil ?? Infinity,
      state.reconnect?.until ?? Infinity,
      mayIdle(state) ? idleAt(state, profile) : Infinity,
    );
    if (due > until) break;
    const at = Math.max(due, state.lastAt);
    const draft: Draft = draftOf(state);
    while ((sessions[signedIn]?.end ?? Infinity) <= at) signedIn++;
    if (signedIn === sessions.length && state.signedIn) draft.source = 'expired';
    if ((state.reconnect?.until ?? Infinity) <= at) draft.reconnect = null;
    const ended = wrapped;
    for (let item = wrapping[wrapped]; item !== undefined && (item.wrapUpUntil as number) <= at; item = wrapping[++wrapped]) {
      held.set(item.profile, (held.get(item.profile) as number) - 1);
    }
    const items = given.work.length - wrapped;
    if (wrapped > ended) workChanged(draft, items);
    if (!staysThroughWork(draft.choice) && idleAt(state, profile) <= at) draft.idle = true;
    const work: WorkCount = { items, units: unitsAfter[wrapped] as number, held: (name) => held.get(name) ?? 0 };
    state = settle(draft, reference ?? state, at, config, profile, { signedIn: signedIn < sessions.length, wrapping: wrapped < wrapping.length, work });
  }
  // Cut the lists once; an untouched list stays the same array.
  const draft: Draft = draftOf(state);
  if (signedIn > 0) draft.sessions = given.sessions.filter((session) => sessionEnd(session, profile) > state.lastAt);
  if (wrapped > 0) draft.work = given.work.filter((item) => (item.wrapUpUntil ?? Infinity) > state.lastAt);
  return draft;
}
