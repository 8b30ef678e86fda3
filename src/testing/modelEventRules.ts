import type { AgentSession, BaseStatus, HeldWorkItem, PresenceChoice, PresenceEvent, RejectionCode } from '../core/index';
import type { ModelAgentRules } from './modelAgentRules';

/** Why a signed-out agent is offline: it signed out, its last session expired, or its last connection dropped. */
export type ModelOfflineReason = 'signOut' | 'expired' | 'disconnected';

/**
 * What the reference model decides a presence from: the sessions signed in (signed in while there is one), why
 * the agent is offline when it is, the choice in force (a manual pick, a sticky default, a system presence), the
 * pick queued for after work, the work held (items in wrap-up included), the last activity and whether the agent
 * went idle since, and the choice kept for a reconnect after a dropped connection.
 *
 * @internal
 */
export interface ModelFacts {
  readonly sessions: readonly AgentSession[];
  readonly offline: ModelOfflineReason;
  readonly choice: PresenceChoice | null;
  readonly next: PresenceChoice | null;
  readonly work: readonly HeldWorkItem[];
  readonly lastActivity: number;
  readonly idle: boolean;
  readonly reconnect: { readonly until: number; readonly choice: PresenceChoice | null } | null;
}

/** One field of an event: what a good value is, and whether the field must be there (given the whole event). */
export interface ModelField {
  readonly required: boolean | ((event: Readonly<Record<string, unknown>>) => boolean);
  readonly ok: (value: unknown) => boolean;
}

/**
 * The rules of one event type: its fields beside `type`, and what it does to the facts at its applied time `at`
 * (or the code it is refused with).
 *
 * @internal
 */
export interface ModelEventRule<E extends PresenceEvent> {
  readonly fields: Readonly<Record<string, ModelField>>;
  apply(facts: ModelFacts, event: E, agent: ModelAgentRules, at: number): ModelFacts | RejectionCode;
}

/** @internal The rules of every event type; TypeScript insists on one entry per type of `PresenceEvent`. */
export type ModelEventRules = { readonly [T in PresenceEvent['type']]: ModelEventRule<Extract<PresenceEvent, { type: T }>> };

/** Whether a string is well-formed UTF-16 (no half of a surrogate pair alone): URI encoding refuses anything else. */
const isWellFormed = (value: string) => {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
};
/** An id: a well-formed string, not blank, at most 256 characters. */
const isId = (value: unknown) => typeof value === 'string' && value.trim() !== '' && value.length <= 256 && isWellFormed(value);
/** An amount: a finite number, not negative. */
const isAmount = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
/** A time: an amount that a `Date` can hold. */
const isTime = (value: unknown) => isAmount(value) && !Number.isNaN(new Date(value as number).getTime());
/** A duration: an amount of at most a year of 365 days. */
const isDuration = (value: unknown) => isAmount(value) && (value as number) <= 365 * 24 * 3_600_000;

/** The time `ms` after `at`; past the last time a `Date` holds, that last time. */
export const timeAfter = (at: number, ms: number): number => Math.min(at + ms, 8.64e15);

const required = (ok: (value: unknown) => boolean): ModelField => ({ required: true, ok });
const optional = (ok: (value: unknown) => boolean): ModelField => ({ required: false, ok });

/** Fields every event has. */
const COMMON = { at: required(isTime), eventId: optional(isId) };
/** Events of a session: the session id is optional (one session, `"default"`, when left out). */
const SESSION = { sessionId: optional(isId), ...COMMON };

/** Away, Do not disturb and Offline picks stay through work events; Available and Busy picks give way to capacity. */
export const isSticky = (base: BaseStatus): boolean => base === 'Away' || base === 'BusyDND' || base === 'Offline';

/** Whether a choice stays through work events and keeps the agent from going idle: a sticky base, or a presence the system set. */
export const staysThroughWork = (choice: PresenceChoice | null): boolean =>
  choice !== null && (isSticky(choice.base) || choice.source === 'missed' || choice.source === 'rejected');

export const isSignedIn = (facts: ModelFacts): boolean => facts.sessions.length > 0;

/** After a work event: a choice that does not hold is dropped; a queued pick applies once nothing at all is held. */
export function afterWorkEvent(facts: ModelFacts): ModelFacts {
  const choice = staysThroughWork(facts.choice) ? facts.choice : null;
  if (facts.next !== null && facts.work.length === 0) return { ...facts, choice: facts.next, next: null };
  return { ...facts, choice };
}

/** The last session ended: offline for `reason`, with no choice, queued pick or idleness left. */
export const signedOff = (facts: ModelFacts, reason: ModelOfflineReason): ModelFacts => ({
  ...facts,
  sessions: [],
  offline: reason,
  choice: null,
  next: null,
  idle: false,
});

/** The agent did something: active again, its idle clock restarted. */
const activeAt = (facts: ModelFacts, at: number): ModelFacts => ({ ...facts, lastActivity: at, idle: false });

const sessionOf = (event: { readonly sessionId?: string | undefined }) => event.sessionId ?? 'default';
const hasSession = (facts: ModelFacts, id: string) => facts.sessions.some((s) => s.sessionId === id);
const withoutSession = (facts: ModelFacts, id: string) => facts.sessions.filter((s) => s.sessionId !== id);
/** Whether the agent holds the item (in wrap-up or not). */
const holdsItem = (facts: ModelFacts, workItemId: string) => facts.work.some((item) => item.workItemId === workItemId);
const pickOf = (agent: ModelAgentRules, id: string, source: PresenceChoice['source']): PresenceChoice => {
  const presence = agent.presence(id) as { id: string; base: BaseStatus };
  return { presenceId: presence.id, base: presence.base, source };
};

/** The system presence of a missed or rejected offer, when the profile names one and the agent is signed in. */
function systemPresence(facts: ModelFacts, agent: ModelAgentRules, id: string | undefined, source: 'missed' | 'rejected'): ModelFacts {
  if (!isSignedIn(facts) || id === undefined) return facts;
  return { ...facts, choice: pickOf(agent, id, source) }; // a queued pick stays queued
}

/**
 * The rules, one entry per event type. To model a new event: add its entry here (fields and `apply`), its
 * generator to `EVENT_GENERATORS` in presenceEventArb.ts and its seeds to `SEEDS_BY_TYPE` in hostileInputArb.ts
 * (TypeScript asks for each once the type is in `PresenceEvent`).
 *
 * @internal
 */
export const modelEventRules: ModelEventRules = {
  signIn: {
    fields: SESSION,
    apply(facts, event, agent, at) {
      const session = sessionOf(event);
      if (!hasSession(facts, session) && facts.sessions.length >= agent.maxSessions) return 'TOO_MANY_SESSIONS';
      // A session signing in again is its heartbeat (and moves to the end of the list, as a new sign-in would).
      const signed = activeAt({ ...facts, sessions: [...withoutSession(facts, session), { sessionId: session, lastSeen: at }] }, at);
      if (isSignedIn(facts)) return signed; // another session: nothing else changes
      // A sign-in strictly before the reconnect grace ends gets the choice back; otherwise the profile's default.
      if (facts.reconnect !== null) return { ...signed, choice: facts.reconnect.choice, reconnect: null };
      const byDefault = pickOf(agent, agent.defaultPresenceId, 'default');
      return { ...signed, choice: isSticky(byDefault.base) ? byDefault : null, reconnect: null };
    },
  },

  signOut: {
    fields: SESSION,
    apply(facts, event) {
      const session = sessionOf(event);
      const cleared = { ...facts, reconnect: null }; // an explicit sign-out ends any reconnect grace
      if (!hasSession(facts, session)) return isSignedIn(facts) ? 'UNKNOWN_SESSION' : cleared; // signed out already: nothing lost
      const sessions = withoutSession(facts, session);
      return sessions.length > 0 ? { ...cleared, sessions } : signedOff(cleared, 'signOut'); // work stays held
    },
  },

  heartbeat: {
    fields: SESSION,
    apply(facts, event, _agent, at) {
      const session = sessionOf(event);
      if (!hasSession(facts, session)) return 'UNKNOWN_SESSION';
      return { ...facts, sessions: facts.sessions.map((s) => (s.sessionId === session ? { sessionId: session, lastSeen: at } : s)) };
    },
  },

  disconnected: {
    fields: SESSION,
    apply(facts, event, agent, at) {
      const session = sessionOf(event);
      if (!hasSession(facts, session)) return facts;
      const sessions = withoutSession(facts, session);
      if (sessions.length > 0) return { ...facts, sessions };
      const reconnect = agent.reconnectGraceMs > 0 ? { until: timeAfter(at, agent.reconnectGraceMs), choice: facts.choice } : null;
      return signedOff({ ...facts, reconnect }, 'disconnected');
    },
  },

  activity: {
    fields: COMMON,
    apply: (facts, _event, _agent, at) => (isSignedIn(facts) ? activeAt(facts, at) : facts),
  },

  tick: {
    fields: COMMON,
    apply: (facts) => facts, // deadlines are applied before every event
  },

  setPresence: {
    fields: { presenceId: required(isId), when: optional((value) => value === 'now' || value === 'afterWork'), ...COMMON },
    apply(facts, event, agent, at) {
      const presence = agent.presence(event.presenceId);
      if (!isSignedIn(facts)) return 'NOT_SIGNED_IN';
      if (presence === undefined) return 'UNKNOWN_PRESENCE';
      if (!presence.active) return 'PRESENCE_INACTIVE';
      if (!presence.selectable) return 'PRESENCE_NOT_SELECTABLE';
      if (!agent.mayPick(event.presenceId)) return 'PRESENCE_NOT_ALLOWED';
      const pick: PresenceChoice = { presenceId: presence.id, base: presence.base, source: 'manual' };
      // A pick for after work waits while anything is held (items in wrap-up too); a later pick replaces it.
      if (event.when === 'afterWork' && facts.work.length > 0) return { ...activeAt(facts, at), next: pick };
      return { ...activeAt(facts, at), choice: pick, next: null };
    },
  },

  resetPresence: {
    fields: COMMON,
    apply(facts, _event, _agent, at) {
      if (!isSignedIn(facts)) return 'NOT_SIGNED_IN';
      return { ...activeAt(facts, at), choice: null, next: null };
    },
  },

  workAssigned: {
    fields: {
      workItemId: required(isId),
      units: { required: (event) => event.profile === undefined, ok: isAmount },
      profile: optional(isId),
      ...COMMON,
    },
    apply(facts, event, agent, at) {
      if (holdsItem(facts, event.workItemId)) return 'DUPLICATE_WORK_ITEM';
      if (event.profile !== undefined && !agent.capacityProfiles.has(event.profile)) return 'UNKNOWN_CAPACITY_PROFILE';
      if (facts.work.length >= agent.maxHeldItems) return 'TOO_MANY_WORK_ITEMS';
      const units = (event.units ?? 0) + 0; // JSON has no -0
      const item: HeldWorkItem =
        event.profile === undefined
          ? { workItemId: event.workItemId, units, since: at }
          : { workItemId: event.workItemId, units, since: at, profile: event.profile };
      return afterWorkEvent({ ...facts, work: [...facts.work, item] }); // accepted while signed out too
    },
  },

  workReleased: {
    fields: { workItemId: required(isId), wrapUpMs: optional(isDuration), ...COMMON },
    apply(facts, event, agent, at) {
      const item = facts.work.find((held) => held.workItemId === event.workItemId);
      if (item === undefined || item.wrapUpUntil !== undefined) return 'UNKNOWN_WORK_ITEM'; // not held, or released already
      const wrapUpMs = event.wrapUpMs ?? agent.wrapUpMs;
      const work =
        wrapUpMs > 0
          ? facts.work.map((held) => (held === item ? { ...held, wrapUpUntil: timeAfter(at, wrapUpMs) } : held))
          : facts.work.filter((held) => held !== item);
      return afterWorkEvent({ ...facts, work });
    },
  },

  wrapUpEnded: {
    fields: { workItemId: required(isId), ...COMMON },
    apply(facts, event) {
      const item = facts.work.find((held) => held.workItemId === event.workItemId);
      if (item === undefined || item.wrapUpUntil === undefined) return 'UNKNOWN_WORK_ITEM'; // not held, or not in wrap-up
      return afterWorkEvent({ ...facts, work: facts.work.filter((held) => held !== item) });
    },
  },

  workMissed: {
    fields: { workItemId: optional(isId), ...COMMON },
    apply: (facts, _event, agent) => systemPresence(facts, agent, agent.onMissed, 'missed'),
  },

  workRejected: {
    fields: { workItemId: optional(isId), ...COMMON },
    apply: (facts, _event, agent) => systemPresence(facts, agent, agent.onRejected, 'rejected'),
  },
};
