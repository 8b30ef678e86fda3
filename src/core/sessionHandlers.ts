import { isStickyBase } from './BaseStatus';
import { choose } from './choose';
import type { Draft } from './Draft';
import { describeValue, later } from './fieldRules';
import type { HandlerTable } from './Handler';
import { acted } from './timeHandlers';

/** The session an event names (`"default"` when it names none), the draft's other sessions, and whether it is signed in. */
const lookUp = (draft: Draft, event: { readonly sessionId?: string | undefined }) => {
  const sessionId = event.sessionId ?? 'default';
  const others = draft.sessions.filter((session) => session.sessionId !== sessionId);
  return { sessionId, others, known: others.length < draft.sessions.length };
};

/** The events of sessions (a tab, a device): signing in and out, the heartbeat that keeps one alive, a dropped connection. */
export const sessionHandlers: Pick<HandlerTable, 'signIn' | 'signOut' | 'heartbeat' | 'disconnected'> = {
  signIn(draft, event, at, profile, config) {
    const { sessionId, others, known } = lookUp(draft, event);
    if (!known && others.length >= profile.maxSessions) {
      return { code: 'TOO_MANY_SESSIONS', message: `session ${describeValue(sessionId)} would be one more than ${profile.maxSessions}: sign one out first` };
    }
    acted(draft, at);
    // Signing in again is the session's heartbeat: it moves to the end of the list, as a new sign-in would.
    draft.sessions = [...others, { sessionId, lastSeen: at }];
    if (draft.signedIn) return; // another session: nothing else changes
    // The first session: the choice kept through a reconnect grace, else the profile's default when it is sticky.
    const byDefault = choose(config.catalog.get(profile.defaultPresenceId), 'default');
    draft.choice = draft.reconnect ? draft.reconnect.choice : isStickyBase(byDefault.base) ? byDefault : null;
    draft.reconnect = null;
  },

  signOut(draft, event) {
    const { sessionId, others, known } = lookUp(draft, event);
    if (!known && draft.signedIn) return { code: 'UNKNOWN_SESSION', message: `session ${describeValue(sessionId)} is not signed in` };
    draft.reconnect = null; // a sign-out ends any reconnect grace, even when the agent was signed out already
    if (!known) return;
    draft.sessions = others;
    if (others.length === 0) draft.source = 'signOut';
  },

  heartbeat(draft, event, at) {
    const { sessionId, known } = lookUp(draft, event);
    if (!known) return { code: 'UNKNOWN_SESSION', message: `session ${describeValue(sessionId)} is not signed in` };
    draft.sessions = draft.sessions.map((session) => (session.sessionId === sessionId ? { sessionId, lastSeen: at } : session));
  },

  disconnected(draft, event, at, profile) {
    const { others, known } = lookUp(draft, event);
    if (!known) return; // not signed in: nothing to drop
    draft.sessions = others;
    if (others.length > 0) return;
    // The last one: Offline, and a sign-in within the grace restores the choice (a grace of 0 ends in the advance after).
    draft.reconnect = { until: later(at, profile.reconnectGraceMs), choice: draft.choice };
    draft.source = 'disconnected';
  },
};
