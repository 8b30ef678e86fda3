import { isStickyBase } from './BaseStatus';
import { capacityLevel, levelOf, unitsUsed, type WorkCount } from './capacityLevel';
import { describeValue, fieldRules, later } from './fieldRules';
import { isPlainObject } from './isPlainObject';
import type { PresenceConfig } from './PresenceConfig';
import { PresenceConfigError } from './PresenceConfigError';
import type { PresenceDefinition } from './PresenceDefinition';
import type { PresenceEvent, SetPresenceEvent, WorkReleasedEvent } from './PresenceEvent';
import type { PresenceIssue } from './PresenceIssue';
import { canTakeWork, measureCapacity, type CapacityReport, type WorkRequest } from './measureCapacity';
import type { BaseStatus } from './BaseStatus';
import type { AgentSession, HeldWorkItem, PresenceChoice, PresenceSource, PresenceState } from './PresenceState';
import { resolveConfig, type ResolvedProfile } from './resolveConfig';
import type { Rejection, RejectionCode, ResolvedPresence, Transition } from './Transition';
import { validateConfig } from './validateConfig';
import { readEvent } from './validateEvent';

/**
 * A presence machine for one config: pure functions from a state and an event to the next state. It holds no
 * agent state itself, so one machine serves every agent; keep each agent's {@link PresenceState} where you like.
 *
 * @category Machine
 * @example
 * ```ts
 * import { createPresenceMachine, type PresenceMachine } from 'agent-presence';
 * const machine: PresenceMachine = createPresenceMachine({});
 * const { state, presence } = machine.transition(machine.initialState('agent-7'), { type: 'signIn', at: 0 });
 * console.log(presence.text, machine.selectablePresences(state).length); // Available 5
 * ```
 */
export interface PresenceMachine {
  /** The config the machine was made from, as given. */
  readonly config: PresenceConfig;
  /** Every presence: the five standard ones, then the custom ones in config order (inactive ones included). */
  readonly presences: readonly PresenceDefinition[];
  /**
   * The state of an agent who has not signed in yet: signed out, Offline, holding nothing.
   *
   * @param agentId - the agent's id: a non-empty string of at most 256 characters
   * @param at - the time the state starts at, epoch milliseconds (default 0)
   * @returns a new state
   * @throws TypeError when `agentId` or `at` is malformed (a programming error, not a domain refusal)
   */
  initialState(agentId: string, at?: number): PresenceState;
  /**
   * Applies one event, after every deadline that passed before its time. Never throws: a refused event comes back
   * with `rejection` and the state it was given (after those deadlines).
   *
   * @param state - the agent's current state
   * @param event - what happened, with `at` in epoch milliseconds
   * @returns the next state, its resolved presence, whether the presence changed, and any rejection
   */
  transition(state: PresenceState, event: PresenceEvent): Transition;
  /**
   * The resolved presence of a state: id, base, name, text, source and since.
   *
   * @param state - an agent's state
   * @returns the presence people and routing see
   */
  presenceOf(state: PresenceState): ResolvedPresence;
  /**
   * What the agent may pick now, for a presence picker: nothing while signed out, otherwise the five standard
   * presences and the active custom presences of the agent's profile.
   *
   * @param state - an agent's state
   * @returns the presences `setPresence` would accept
   */
  selectablePresences(state: PresenceState): readonly PresenceDefinition[];
  /**
   * The settled profile of an agent (agents not in the config get the default profile).
   *
   * @param agentId - the agent's id
   * @returns default presence, allowed custom presences, capacity, item limit and capacity profiles
   */
  profileOf(agentId: string): ResolvedProfile;
  /**
   * The agent's capacity use: level, units used and free, items held, and each capacity profile's use.
   *
   * @param state - an agent's state
   * @returns the capacity report
   */
  capacityOf(state: PresenceState): CapacityReport;
  /**
   * Whether the agent can take one more item of the given units and profile without going past a limit (see
   * {@link canTakeWork}). Capacity only: combine it with the presence's base to decide whether to offer work.
   *
   * @param state - an agent's state
   * @param request - the item's units (default 0) and capacity profile
   * @returns true when the item fits
   */
  canTake(state: PresenceState, request: WorkRequest): boolean;
  /**
   * The earliest time at which a `tick` would change this state, as `transition` reports it: for arming timers
   * for states loaded from a store (after a restart, say).
   *
   * @param state - an agent's state
   * @returns the deadline, or `undefined` when nothing is pending
   */
  nextDeadline(state: PresenceState): number | undefined;
}

/**
 * Creates a presence machine from a config, checking all of it first.
 *
 * The rules follow Dynamics 365 Omnichannel: capacity decides the presence (none → Available, partial → Busy,
 * full → Do not disturb); a manual Available or Busy holds until the next work event, a manual Away, Do not
 * disturb or Offline until the agent picks another or signs out; sign-in applies the profile's default presence.
 *
 * @param config - custom presences, profiles and capacity presences; leave it out (or pass `{}`) for the standard setup
 * @returns the machine
 * @throws {@link PresenceConfigError} listing every problem of the config at once
 * @category Machine
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * const machine = createPresenceMachine({
 *   presences: [{ id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' }],
 *   defaultProfile: { capacity: 100 },
 *   agents: { 'agent-7': { defaultPresenceId: 'away', presenceIds: ['away-training'], capacity: 60, maxWorkItems: 3 } },
 * });
 * let state = machine.initialState('agent-7');
 * state = machine.transition(state, { type: 'signIn', at: 1_000 }).state;
 * console.log(machine.presenceOf(state).text); // Appear away (the default, applied as is)
 * ```
 */
export function createPresenceMachine(config: PresenceConfig = {}): PresenceMachine {
  // The config is read once, into plain data: what is checked is what the machine runs on, getters or not.
  const { plain, issues = validateConfig(plain) } = readConfig(config);
  if (issues.length > 0) throw new PresenceConfigError(issues);
  const resolved = resolveConfig(plain as PresenceConfig);
  const { catalog, capacityPresences, profiles, defaultProfile, standardByBase } = resolved;

  const profileOf = (agentId: string): ResolvedProfile => profiles.get(agentId) ?? defaultProfile;

  /** Id, base, name and text of a presence; one gone from the config shows as its base's standard presence. */
  const describe = (presenceId: string, base: BaseStatus) => {
    const definition = (catalog.get(presenceId) ?? standardByBase.get(base)) as PresenceDefinition;
    return { presenceId, base, name: definition.name, text: definition.text };
  };

  // Built property by property: an object spread here costs the hot path more than the rest of a transition.
  const presenceOf = (state: PresenceState): ResolvedPresence => {
    const { name, text } = describe(state.presenceId, state.base);
    const presence = { presenceId: state.presenceId, base: state.base, name, text, source: state.source, since: state.since };
    return state.next ? { ...presence, next: describe(state.next.presenceId, state.next.base) } : presence;
  };

  /** When a session not heard from expires (Infinity: never). */
  const sessionEnd = (session: AgentSession, profile: ResolvedProfile): number =>
    profile.sessionTtlMs === undefined ? Infinity : later(session.lastSeen, profile.sessionTtlMs);

  /** When the agent turns idle if nothing happens (Infinity: never). */
  const idleAt = (state: PresenceState, profile: ResolvedProfile): number =>
    profile.idleAfterMs === undefined ? Infinity : later(state.lastActivity, profile.idleAfterMs);

  /** Whether time alone can still make the agent idle: signed in, not idle yet, and no choice holding. */
  const mayIdle = (state: PresenceState): boolean => state.signedIn && !state.idle && !holds(state.choice);

  /** The earliest time at which time alone changes the state; Infinity when none does. */
  const deadlineOf = (state: PresenceState, profile: ResolvedProfile): number => {
    // Plain loops: spreading mapped arrays into Math.min made this the hottest line of a transition.
    let earliest = state.reconnect?.until ?? Infinity;
    for (const session of state.sessions) earliest = Math.min(earliest, sessionEnd(session, profile));
    for (const item of state.work) earliest = Math.min(earliest, item.wrapUpUntil ?? Infinity);
    return mayIdle(state) ? Math.min(earliest, idleAt(state, profile)) : earliest;
  };

  /**
   * Resolves the presence of a draft at time `at` (precedence: see docs/concepts.md), making the draft the next
   * state. What it needs of the sessions and the work it reads from the draft's lists, or from `facts` when a run of
   * deadlines keeps them counted; from the lists, only what the precedence reaches is counted (the hot path).
   */
  const settle = (draft: Draft, before: PresenceState, at: number, facts?: Facts): PresenceState => {
    const profile = profileOf(draft.agentId);
    const gone = (choice: PresenceChoice | null): PresenceChoice | null =>
      choice && catalog.get(choice.presenceId)?.active !== true ? choose(standardByBase.get(choice.base), 'config') : choice;
    const choice = gone(draft.choice);
    const signedIn = facts ? facts.signedIn : draft.sessions.length > 0;
    const wrapUp = profile.wrapUpPresenceId;
    const presence = !signedIn
      ? // Whatever ended the last session set the source: signOut, expired or disconnected.
        { presenceId: 'offline', base: 'Offline' as const, source: draft.source }
      : choice && holds(choice)
        ? choice
        : draft.idle
          ? choose(catalog.get(profile.idlePresenceId), 'idle')
          : wrapUp && (facts ? facts.wrapping : draft.work.some(wrapsUp))
            ? choose(catalog.get(wrapUp), 'wrapUp')
            : (choice ?? choose(capacityPresences[facts ? levelOf(facts.work, profile) : capacityLevel(draft.work, profile)], 'capacity'));
    draft.signedIn = signedIn;
    draft.presenceId = presence.presenceId;
    draft.base = presence.base;
    draft.source = presence.source;
    draft.since = presence.presenceId === before.presenceId ? before.since : at;
    draft.choice = signedIn ? choice : null;
    draft.next = signedIn ? gone(draft.next) : null;
    draft.idle = signedIn && draft.idle;
    draft.lastAt = at;
    return draft;
  };

  /**
   * Applies every deadline due by `until`, each at its own time, in time order. `since` is measured against the
   * state before each deadline, or against `reference` when given: after an event, the deadlines it made due at
   * once (a wrap-up or a session time-to-live too short to move `at`) fall at the same instant as the event, so a
   * presence that comes back to the one before the event did not change.
   *
   * Many deadlines in one call (a client silent for hours, a thousand wrap-ups) cost O((n + k) log n), not O(n·k):
   * the sessions and the items in wrap-up are sorted by when they end once, and each deadline moves a cursor and
   * updates the counts `settle` reads; the lists are cut once, at the end.
   */
  const advance = (given: PresenceState, until: number, reference?: PresenceState): PresenceState => {
    const profile = profileOf(given.agentId);
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
      const draft: Draft = copy(state);
      while ((sessions[signedIn]?.end ?? Infinity) <= at) signedIn++;
      if (signedIn === sessions.length && state.signedIn) draft.source = 'expired';
      if ((state.reconnect?.until ?? Infinity) <= at) draft.reconnect = null;
      const ended = wrapped;
      for (let item = wrapping[wrapped]; item !== undefined && (item.wrapUpUntil as number) <= at; item = wrapping[++wrapped]) {
        held.set(item.profile, (held.get(item.profile) as number) - 1);
      }
      const items = given.work.length - wrapped;
      if (wrapped > ended) workChanged(draft, items);
      if (!holds(draft.choice) && idleAt(state, profile) <= at) draft.idle = true;
      const work: WorkCount = { items, units: unitsAfter[wrapped] as number, held: (name) => held.get(name) ?? 0 };
      state = settle(draft, reference ?? state, at, { signedIn: signedIn < sessions.length, wrapping: wrapped < wrapping.length, work });
    }
    // Cut the lists once; an untouched list stays the same array.
    const ended = (until: number) => until <= state.lastAt;
    const draft: Draft = copy(state);
    if (signedIn > 0) draft.sessions = given.sessions.filter((session) => !ended(sessionEnd(session, profile)));
    if (wrapped > 0) draft.work = given.work.filter((item) => !ended(item.wrapUpUntil ?? Infinity));
    return draft;
  };

  const result = (given: PresenceState, state: PresenceState, late: number, rejection?: Rejection): Transition => {
    const nextDeadline = deadlineOf(state, profileOf(state.agentId));
    // Built property by property: an object spread here costs the hot path more than the rest of a transition.
    const transition: { -readonly [K in keyof Transition]: Transition[K] } = {
      state,
      presence: presenceOf(state),
      changed: state.presenceId !== given.presenceId,
    };
    if (rejection) transition.rejection = rejection;
    if (late) transition.late = late;
    if (nextDeadline < Infinity) transition.nextDeadline = nextDeadline;
    return transition;
  };

  return {
    config,
    presences: resolved.presences,

    initialState(agentId, at = 0) {
      const idProblem = fieldRules.id(agentId);
      if (idProblem !== undefined) throw new TypeError(`initialState: agentId ${idProblem}`);
      const atProblem = fieldRules.time(at);
      if (atProblem !== undefined) throw new TypeError(`initialState: at ${atProblem}`);
      const start = at + 0; // no -0 in the state, as in transition
      return {
        agentId,
        signedIn: false,
        sessions: [],
        presenceId: 'offline',
        base: 'Offline',
        source: 'signOut',
        since: start,
        choice: null,
        next: null,
        work: [],
        lastActivity: start,
        idle: false,
        reconnect: null,
        lastAt: start,
      };
    },

    transition(given, input) {
      const refuse = (state: PresenceState, code: RejectionCode, message: string): Transition =>
        result(given, state, 0, { code, message: `Agent ${describeValue(given.agentId)}: ${message}` });
      // Read once: every later line sees the checked copy, never the caller's object again.
      const { event, issues } = readEvent(input);
      if (event === undefined) {
        const what = issues.map((issue) => [...issue.path, issue.message].join(' ')).join('; ');
        return refuse(given, 'INVALID_EVENT', what);
      }
      // `+ 0` turns -0 into 0: JSON has no -0, and a stored copy must equal the state it came from.
      const at = Math.max(event.at, given.lastAt) + 0;
      const late = at - event.at;
      const state = advance(given, at);
      const profile = profileOf(state.agentId);
      const draft: Draft = copy(state);
      const { signedIn, work } = state;
      const act = () => {
        draft.lastActivity = at;
        draft.idle = false;
      };

      // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- a tick only advances time (done above); a case for it costs the root bundle bytes
      switch (event.type) {
        case 'signIn':
        case 'signOut':
        case 'heartbeat':
        case 'disconnected': {
          // Only the session events look the session up; the others (work events above all) skip the search and copy.
          const { type } = event;
          const sessionId = event.sessionId ?? 'default';
          const others = state.sessions.filter((s) => s.sessionId !== sessionId);
          const known = others.length < state.sessions.length;
          const seen = { sessionId, lastSeen: at };
          if (!known && (type === 'heartbeat' || (type === 'signOut' && signedIn))) {
            return refuse(state, 'UNKNOWN_SESSION', `session ${describeValue(sessionId)} is not signed in`);
          }
          if (type === 'heartbeat') {
            draft.sessions = state.sessions.map((s) => (s.sessionId === sessionId ? seen : s));
          } else if (type === 'signIn') {
            if (!known && state.sessions.length >= profile.maxSessions) {
              return refuse(
                state,
                'TOO_MANY_SESSIONS',
                `session ${describeValue(sessionId)} would be one more than ${profile.maxSessions}: sign one out first`,
              );
            }
            act();
            draft.sessions = [...others, seen];
            if (signedIn) break;
            const fallback = choose(catalog.get(profile.defaultPresenceId), 'default');
            draft.choice = state.reconnect ? state.reconnect.choice : isStickyBase(fallback.base) ? fallback : null;
            draft.reconnect = null;
          } else {
            if (type === 'signOut') draft.reconnect = null;
            if (!known) break;
            draft.sessions = others;
            if (others.length > 0) break;
            // A grace of 0 ends at once: the deadline is due now, and the advance below clears it.
            if (type === 'disconnected') draft.reconnect = { until: later(at, profile.reconnectGraceMs), choice: state.choice };
            draft.source = type;
          }
          break;
        }
        case 'activity':
          if (signedIn) act();
          break;
        case 'setPresence':
        case 'resetPresence': {
          const id = event.type === 'setPresence' ? event.presenceId : undefined;
          if (!signedIn) return refuse(state, 'NOT_SIGNED_IN', `${pickSubject(id)}: not signed in`);
          act();
          draft.next = null;
          if (id === undefined) {
            draft.choice = null;
            break;
          }
          const presence = catalog.get(id);
          if (presence === undefined) return refuse(state, 'UNKNOWN_PRESENCE', `${pickSubject(id)}: unknown`);
          if (!presence.active) return refuse(state, 'PRESENCE_INACTIVE', `${pickSubject(id)}: inactive`);
          if (!presence.selectable) return refuse(state, 'PRESENCE_NOT_SELECTABLE', `${pickSubject(id)}: a system presence`);
          if (!profile.selectable.includes(presence)) {
            return refuse(state, 'PRESENCE_NOT_ALLOWED', `${pickSubject(id)}: not in the agent's profile`);
          }
          const pick = choose(presence, 'manual');
          if ((event as SetPresenceEvent).when === 'afterWork' && work.length > 0) draft.next = pick;
          else draft.choice = pick;
          break;
        }
        case 'workAssigned': {
          const id = event.workItemId;
          if (work.some((item) => item.workItemId === id)) return refuse(state, 'DUPLICATE_WORK_ITEM', `work item ${describeValue(id)} is already held`);
          const { profile: named } = event;
          if (named !== undefined && !profile.capacityProfiles.has(named)) {
            return refuse(state, 'UNKNOWN_CAPACITY_PROFILE', `capacity profile ${describeValue(named)} is not the agent's`);
          }
          if (work.length >= profile.maxHeldItems) {
            return refuse(
              state,
              'TOO_MANY_WORK_ITEMS',
              `work item ${describeValue(id)} would be one more than ${profile.maxHeldItems} held: release some first`,
            );
          }
          const units = (event.units ?? 0) + 0;
          draft.work = [...work, named === undefined ? { workItemId: id, units, since: at } : { workItemId: id, units, since: at, profile: named }];
          workChanged(draft, draft.work.length);
          break;
        }
        case 'workReleased':
        case 'wrapUpEnded': {
          const id = event.workItemId;
          const releasing = event.type === 'workReleased';
          const index = work.findIndex((item) => item.workItemId === id && (item.wrapUpUntil === undefined) === releasing);
          if (index < 0) {
            const held = work.some((item) => item.workItemId === id);
            return refuse(state, 'UNKNOWN_WORK_ITEM', `work item ${describeValue(id)} is ${!held ? 'not held' : releasing ? 'in wrap-up' : 'not in wrap-up'}`);
          }
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it esbuild names the minified code otherwise, 2 B more min+gz in the root bundle
          const wrapUpMs = releasing ? ((event as WorkReleasedEvent).wrapUpMs ?? profile.wrapUpMs) : 0;
          draft.work =
            wrapUpMs > 0 ? work.map((item, i) => (i === index ? { ...item, wrapUpUntil: later(at, wrapUpMs) } : item)) : work.filter((_, i) => i !== index);
          workChanged(draft, draft.work.length);
          break;
        }
        case 'workMissed':
        case 'workRejected': {
          const missed = event.type === 'workMissed';
          const id = missed ? profile.onMissed : profile.onRejected;
          if (signedIn && id !== undefined) draft.choice = choose(catalog.get(id), missed ? 'missed' : 'rejected');
          break;
        }
      }
      const next = settle(draft, state, at);
      return result(given, advance(next, at, state), late);
    },

    presenceOf,

    selectablePresences(state) {
      return state.signedIn ? profileOf(state.agentId).selectable : [];
    },

    profileOf,

    capacityOf(state) {
      return measureCapacity(state.work, profileOf(state.agentId));
    },

    canTake(state, request) {
      return canTakeWork(state.work, profileOf(state.agentId), request);
    },

    nextDeadline(state) {
      // As a transition reports it; not on the hot path, so the presence built alongside costs nothing that matters.
      return result(state, state, 0).nextDeadline;
    },
  };
}

/** A mutable copy of a state, property by property (a spread is slower on the hot path). */
const copy = (state: PresenceState): Draft => ({
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

/**
 * A plain copy of a config, each property read once (arrays and plain objects copied, anything else kept for the
 * check to name), or the problem when a getter or proxy throws. Nesting past any config's depth is kept as is.
 */
const readConfig = (config: unknown): { plain?: unknown; issues?: PresenceIssue[] } => {
  const read = (value: unknown, depth: number): unknown =>
    depth > 6 // deeper than any config goes (a cycle, say): kept as is, for the check to name
      ? value
      : Array.isArray(value)
        ? Array.from(value, (item: unknown) => read(item, depth + 1))
        : isPlainObject(value)
          ? Object.fromEntries(Object.keys(value).map((key) => [key, read(value[key], depth + 1)]))
          : value;
  try {
    return { plain: read(config, 0) };
  } catch {
    return { issues: [{ path: [], message: 'could not be read (a getter or proxy threw)' }] };
  }
};

// Refusal messages are built only when refusing: describing an id on every event costs the hot path dearly.
const pickSubject = (id: string | undefined): string => (id === undefined ? 'cannot reset presence' : `cannot set presence ${describeValue(id)}`);

/** A state being worked on inside a transition. */
type Draft = { -readonly [K in keyof PresenceState]: PresenceState[K] };

/** What `settle` reads of the sessions and the work: whether any session is in, whether any item is in wrap-up, and the work counted. */
interface Facts {
  readonly signedIn: boolean;
  readonly wrapping: boolean;
  readonly work: WorkCount;
}

/**
 * The choice of a presence the config is known to have (hence the `as`), made by `source`.
 */
const choose = <Source extends PresenceSource>(presence: Pick<PresenceDefinition, 'id' | 'base'> | undefined, source: Source) => {
  const { id, base } = presence as PresenceDefinition;
  return { presenceId: id, base, source };
};

/** After a work event: Available and Busy picks give way to capacity; a queued pick applies once nothing is held. */
const workChanged = (draft: Draft, items: number) => {
  if (!holds(draft.choice)) draft.choice = null;
  if (draft.next && items === 0) {
    draft.choice = draft.next;
    draft.next = null;
  }
};

/** Whether a choice holds through work events and idleness: a sticky base (Away, BusyDND, Offline) or set by the system. */
const holds = (choice: PresenceChoice | null): boolean =>
  choice !== null && (isStickyBase(choice.base) || choice.source === 'missed' || choice.source === 'rejected');

/** Whether an item is released and in wrap-up. */
const wrapsUp = (item: HeldWorkItem): boolean => item.wrapUpUntil !== undefined;
