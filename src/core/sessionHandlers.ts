import { isStickyBase } from './BaseStatus';
import { choose } from './choose';
import type { Draft } from './Draft';
import { describeValue, later } from './fieldRules';
import type { HandlerTable } from './Handler';
import type { AgentSession } from './PresenceState';
import { acted } from './timeHandlers';

/** The session an event names: `"default"` when it names none. */
const sessionIdOf = (event: { readonly sessionId?: string | undefined }): string => event.sessionId ?? 'default';

/** The draft's sessions but `sessionId`. */
const others = (draft: Draft, sessionId: string): AgentSession[] => draft.sessions.filter((session) => session.sessionId !== sessionId);

/** Ends a session; when it was the last one, the agent goes Offline with `source` as the reason. */
const end = (draft: Draft, rest: AgentSession[], source: 'signOut' | 'disconnected'): void => {
  draft.sessions = rest;
  if (rest.length === 0) draft.source = source;
};

/** The events of sessions (a tab, a device): signing in and out, the heartbeat that keeps one alive, a dropped connection. */
export const sessionHandlers: Pick<HandlerTable, 'signIn' | 'signOut' | 'heartbeat' | 'disconnected'> = {
  signIn(draft, event, at, profile, config) {
    const sessionId = sessionIdOf(event);
    const rest = others(draft, sessionId);
    const known = rest.length < draft.sessions.length;
    if (!known && rest.length >= profile.maxSessions) {
      return {
        code: 'TOO_MANY_SESSIONS',
        message: `session ${describeValue(sessionId)} would be one more than ${profile.maxSessions}: sign one out first`,
      };
    }
    acted(draft, at);
    // Signing in again is the session's heartbeat: it moves to the end of the list, as a new sign-in would.
    draft.sessions = [...rest, { sessionId, lastSeen: at }];
    if (draft.signedIn) return; // another session: nothing else changes
    // The first session: the choice kept through a reconnect grace, else the profile's default when it is sticky.
    const byDefault = choose(config.catalog.get(profile.defaultPresenceId), 'default');
    draft.choice = draft.reconnect ? draft.reconnect.choice : isStickyBase(byDefault.base) ? byDefault : null;
    draft.reconnect = null;
  },

  signOut(draft, event) {
    const sessionId = sessionIdOf(event);
    const rest = others(draft, sessionId);
    const known = rest.length < draft.sessions.length;
    if (!known && draft.signedIn) {
      return { code: 'UNKNOWN_SESSION', message: `session ${describeValue(sessionId)} is not signed in` };
    }
    draft.reconnect = null; // a sign-out ends any reconnect grace, even when the agent was signed out already
    if (known) end(draft, rest, 'signOut');
  },

  heartbeat(draft, event, at) {
    const sessionId = sessionIdOf(event);
    if (!draft.sessions.some((session) => session.sessionId === sessionId)) {
      return { code: 'UNKNOWN_SESSION', message: `session ${describeValue(sessionId)} is not signed in` };
    }
    draft.sessions = draft.sessions.map((session) => (session.sessionId === sessionId ? { sessionId, lastSeen: at } : session));
  },

  disconnected(draft, event, at, profile) {
    const rest = others(draft, sessionIdOf(event));
    const known = rest.length < draft.sessions.length;
    if (!known) return; // not signed in: nothing to drop
    // The last one: a sign-in within the grace restores the choice (a grace of 0 ends at once, in the advance after).
    if (rest.length === 0) draft.reconnect = { until: later(at, profile.reconnectGraceMs), choice: draft.choice };
    end(draft, rest, 'disconnected');
  },
};
