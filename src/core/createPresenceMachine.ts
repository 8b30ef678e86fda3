import { isStickyBase } from './BaseStatus';
import { capacityLevel } from './capacityLevel';
import { describeValue, fieldRules } from './fieldRules';
import type { PresenceConfig } from './PresenceConfig';
import { PresenceConfigError } from './PresenceConfigError';
import type { PresenceDefinition } from './PresenceDefinition';
import type { PresenceEvent } from './PresenceEvent';
import { canTakeWork, measureCapacity, type CapacityReport, type WorkRequest } from './measureCapacity';
import { formatPath } from './PresenceIssue';
import type { HeldWorkItem, PresenceChoice, PresenceSource, PresenceState } from './PresenceState';
import { resolveConfig, type ResolvedProfile } from './resolveConfig';
import type { RejectionCode, ResolvedPresence, Transition } from './Transition';
import { validateConfig } from './validateConfig';
import { validateEvent } from './validateEvent';

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
   * Applies one event. Never throws: a refused event comes back with `rejection` and the state it was given.
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
  const issues = validateConfig(config);
  if (issues.length > 0) throw new PresenceConfigError(issues);
  const resolved = resolveConfig(config);
  const { catalog, capacityPresences, profiles, defaultProfile } = resolved;

  const profileOf = (agentId: string): ResolvedProfile => profiles.get(agentId) ?? defaultProfile;

  const definitionOf = (state: PresenceState): PresenceDefinition =>
    catalog.get(state.presenceId) ?? (resolved.standardByBase.get(state.base) as PresenceDefinition);

  const presenceOf = (state: PresenceState): ResolvedPresence => {
    const definition = definitionOf(state);
    return {
      presenceId: state.presenceId,
      base: state.base,
      name: definition.name,
      text: definition.text,
      source: state.source,
      since: state.since,
    };
  };

  const refuse = (state: PresenceState, code: RejectionCode, message: string): Transition => ({
    state,
    presence: presenceOf(state),
    changed: false,
    rejection: { code, message: `Agent ${describeValue(state.agentId)}: ${message}` },
  });

  /** The choice left after a work event: Available and Busy picks give way to capacity, sticky ones stay. */
  const afterWork = (choice: PresenceChoice | null): PresenceChoice | null =>
    choice !== null && !isStickyBase(choice.base) ? null : choice;

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
        presenceId: 'offline',
        base: 'Offline',
        source: 'signOut',
        since: start,
        choice: null,
        work: [],
        lastAt: start,
      };
    },

    transition(state, event) {
      const invalid = validateEvent(event);
      if (invalid.length > 0) {
        const what = invalid.map((issue) => (issue.path.length > 0 ? `${formatPath(issue.path)} ` : '') + issue.message).join('; ');
        return refuse(state, 'INVALID_EVENT', `event refused: ${what}`);
      }
      const late = event.at < state.lastAt ? state.lastAt - event.at : 0;
      // `+ 0` turns -0 into 0: JSON has no -0, and a stored copy must equal the state it came from.
      const at = late > 0 ? state.lastAt : event.at + 0;
      const profile = profileOf(state.agentId);
      let { signedIn, choice, work } = state;

      switch (event.type) {
        case 'signIn': {
          if (signedIn) break;
          signedIn = true;
          const fallback = catalog.get(profile.defaultPresenceId) as PresenceDefinition;
          choice = isStickyBase(fallback.base) ? { presenceId: fallback.id, base: fallback.base, source: 'default' } : null;
          break;
        }
        case 'signOut':
          signedIn = false;
          choice = null;
          break;
        case 'setPresence': {
          const id = event.presenceId;
          const what = `cannot set presence ${describeValue(id)}`;
          if (!signedIn) return refuse(state, 'NOT_SIGNED_IN', `${what}: the agent is not signed in`);
          const presence = catalog.get(id);
          if (presence === undefined) return refuse(state, 'UNKNOWN_PRESENCE', `${what}: no presence has this id`);
          if (!presence.active) return refuse(state, 'PRESENCE_INACTIVE', `${what}: the presence is inactive`);
          if (!presence.standard && profile.presenceIds !== null && !profile.presenceIds.includes(id)) {
            return refuse(state, 'PRESENCE_NOT_ALLOWED', `${what}: it is not among the presences of the agent's profile`);
          }
          choice = { presenceId: id, base: presence.base, source: 'manual' };
          break;
        }
        case 'workAssigned': {
          const id = event.workItemId;
          if (work.some((item) => item.workItemId === id)) {
            return refuse(state, 'DUPLICATE_WORK_ITEM', `cannot be assigned work item ${describeValue(id)}: the agent already holds it`);
          }
          const { profile: named } = event;
          if (named !== undefined && !profile.capacityProfiles.has(named)) {
            const known = [...profile.capacityProfiles.keys()].map((name) => describeValue(name)).join(', ') || 'none';
            return refuse(
              state,
              'UNKNOWN_CAPACITY_PROFILE',
              `cannot be assigned work item ${describeValue(id)}: capacity profile ${describeValue(named)} is not one of the agent's (${known})`,
            );
          }
          const units = (event.units ?? 0) + 0;
          const item: HeldWorkItem = named === undefined ? { workItemId: id, units, since: at } : { workItemId: id, units, since: at, profile: named };
          work = [...work, item];
          choice = afterWork(choice);
          break;
        }
        case 'workReleased': {
          const id = event.workItemId;
          const index = work.findIndex((item) => item.workItemId === id);
          if (index < 0) {
            return refuse(state, 'UNKNOWN_WORK_ITEM', `cannot release work item ${describeValue(id)}: the agent does not hold it`);
          }
          work = [...work.slice(0, index), ...work.slice(index + 1)];
          choice = afterWork(choice);
          break;
        }
      }

      let next: { readonly id: string; readonly base: PresenceState['base'] };
      let source: PresenceSource;
      if (!signedIn) {
        next = { id: 'offline', base: 'Offline' };
        source = 'signOut';
      } else if (choice !== null) {
        next = { id: choice.presenceId, base: choice.base };
        source = choice.source;
      } else {
        const definition = capacityPresences[capacityLevel(work, profile)];
        next = definition;
        source = 'capacity';
      }
      const changed = next.id !== state.presenceId;
      const nextState: PresenceState = {
        agentId: state.agentId,
        signedIn,
        presenceId: next.id,
        base: next.base,
        source,
        since: changed ? at : state.since,
        choice,
        work,
        lastAt: at,
      };
      const result = { state: nextState, presence: presenceOf(nextState), changed };
      return late > 0 ? { ...result, late } : result;
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
  };
}
