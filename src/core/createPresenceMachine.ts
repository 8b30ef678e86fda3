import { advance } from './advance';
import type { BaseStatus } from './BaseStatus';
import { deadlineOf } from './deadlineOf';
import { draftOf } from './Draft';
import { eventHandlers } from './eventHandlers';
import { describeValue, fieldRules } from './fieldRules';
import type { Handler } from './Handler';
import { canTakeWork, measureCapacity, type CapacityReport, type WorkRequest } from './measureCapacity';
import type { PresenceConfig } from './PresenceConfig';
import { PresenceConfigError } from './PresenceConfigError';
import type { PresenceDefinition } from './PresenceDefinition';
import type { PresenceEvent } from './PresenceEvent';
import type { PresenceState } from './PresenceState';
import { readConfig } from './readConfig';
import { resolveConfig, type ResolvedProfile } from './resolveConfig';
import { settle } from './settle';
import type { Rejection, ResolvedPresence, Transition } from './Transition';
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
  /** Every presence: the six standard ones, then the custom ones in config order (inactive ones included). */
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
   * What the agent may pick now, for a presence picker: nothing while signed out, otherwise the five selectable
   * standard presences and the active custom presences of the agent's profile.
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
  const { catalog, profiles, defaultProfile, standardByBase } = resolved;

  const profileOf = (agentId: string): ResolvedProfile => profiles.get(agentId) ?? defaultProfile;

  /** Id, base, name and text of a presence; one gone from the config shows as its base's standard presence. */
  const describe = (presenceId: string, base: BaseStatus) => {
    const definition = (catalog.get(presenceId) ?? standardByBase.get(base)) as PresenceDefinition;
    return { presenceId, base, name: definition.name, text: definition.text };
  };

  // Built property by property: an object spread here costs the hot path more than the rest of a transition.
  const presenceOf = (state: PresenceState): ResolvedPresence => {
    const presence: { -readonly [K in keyof ResolvedPresence]: ResolvedPresence[K] } = describe(state.presenceId, state.base) as ResolvedPresence;
    presence.source = state.source;
    presence.since = state.since;
    if (state.next) presence.next = describe(state.next.presenceId, state.next.base);
    return presence;
  };

  /** What `transition` returns for the state it came to from `given`. */
  const result = (given: PresenceState, state: PresenceState, profile: ResolvedProfile, late: number, rejection?: Rejection): Transition => {
    const nextDeadline = deadlineOf(state, profile);
    // Built property by property: an object spread here costs the hot path more than the rest of a transition.
    const transition: { -readonly [K in keyof Transition]: Transition[K] } = {
      state,
      presence: presenceOf(state),
      changed: state.presenceId !== given.presenceId,
    };
    // A refusal names the agent: the handlers' reasons do not.
    if (rejection) transition.rejection = { code: rejection.code, message: `Agent ${describeValue(given.agentId)}: ${rejection.message}` };
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
      const profile = profileOf(given.agentId);
      // Check. Read once: every later line sees the checked copy, never the caller's object again.
      const { event, issues } = readEvent(input);
      if (event === undefined) {
        const message = issues.map((issue) => [...issue.path, issue.message].join(' ')).join('; ');
        return result(given, given, profile, 0, { code: 'INVALID_EVENT', message });
      }
      // A late event applies at the state's latest time: time never runs backwards. `+ 0` turns -0 into 0: JSON has
      // no -0, and a stored copy must equal the state it came from.
      const at = Math.max(event.at, given.lastAt) + 0;
      // Advance: the deadlines due before the event, each at its own time.
      const state = advance(given, at, resolved, profile);
      // Handle: what the event itself does, on a draft of the state.
      const draft = draftOf(state);
      const refusal = (eventHandlers[event.type] as Handler<PresenceEvent['type']>)(draft, event, at, profile, resolved);
      if (refusal) return result(given, state, profile, 0, refusal);
      // Settle: which presence wins. Advance again: the deadlines the event made due at once (a wrap-up of 0 ms, say).
      const next = advance(settle(draft, state, at, resolved, profile), at, resolved, profile, state);
      return result(given, next, profile, at - event.at);
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
      return result(state, state, profileOf(state.agentId), 0).nextDeadline;
    },
  };
}
