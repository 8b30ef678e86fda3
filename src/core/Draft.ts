import type { PresenceState } from './PresenceState';

/** The next state while a transition builds it: a copy of the state it starts from, changed in place. */
export type Draft = { -readonly [K in keyof PresenceState]: PresenceState[K] };

/**
 * A draft of the state: a shallow copy, property by property (a spread is slower on the hot path). The lists and
 * choices it shares with the state are replaced, never changed in place.
 */
export const draftOf = (state: PresenceState): Draft => ({
  agentId: state.agentId,
  signedIn: state.signedIn,
  sessions: state.sessions,
  presenceId: state.presenceId,
  base: state.base,
  source: state.source,
  since: state.since,
  choice: state.choice,
  next: state.next,
  work: state.work,
  lastActivity: state.lastActivity,
  idle: state.idle,
  reconnect: state.reconnect,
  lastAt: state.lastAt,
});
