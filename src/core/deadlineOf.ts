import { later } from './fieldRules';
import type { AgentSession, HeldWorkItem, PresenceState } from './PresenceState';
import type { ResolvedProfile } from './resolveConfig';
import { staysThroughWork } from './staysThroughWork';

/** When a session not heard from expires (Infinity: never). */
export const sessionEnd = (session: AgentSession, profile: ResolvedProfile): number =>
  profile.sessionTtlMs === undefined ? Infinity : later(session.lastSeen, profile.sessionTtlMs);

/** When the agent turns idle if nothing happens (Infinity: never). */
export const idleAt = (state: PresenceState, profile: ResolvedProfile): number =>
  profile.idleAfterMs === undefined ? Infinity : later(state.lastActivity, profile.idleAfterMs);

/** Whether time alone can still make the agent idle: signed in, not idle yet, and no choice that stays. */
export const mayIdle = (state: PresenceState): boolean => state.signedIn && !state.idle && !staysThroughWork(state.choice);

/** Whether an item is released and in wrap-up. */
export const wrapsUp = (item: HeldWorkItem): boolean => item.wrapUpUntil !== undefined;

/**
 * The earliest time at which time alone changes the state: a session expiring, the reconnect grace or a wrap-up
 * ending, the agent turning idle. Infinity when none is pending.
 */
export const deadlineOf = (state: PresenceState, profile: ResolvedProfile): number => {
  // Plain loops: spreading mapped arrays into Math.min made this the hottest line of a transition.
  let earliest = state.reconnect?.until ?? Infinity;
  for (const session of state.sessions) earliest = Math.min(earliest, sessionEnd(session, profile));
  for (const item of state.work) earliest = Math.min(earliest, item.wrapUpUntil ?? Infinity);
  return mayIdle(state) ? Math.min(earliest, idleAt(state, profile)) : earliest;
};
