import type {
  HeldWorkItem,
  PresenceChoice,
  PresenceConfig,
  PresenceEvent,
  PresenceSource,
  PresenceState,
  RejectionCode,
  ResolvedPresence,
} from '../core/index';
import { modelAgentRules, type ModelAgentRules, type ModelPresence } from './modelAgentRules';
import { afterWorkEvent, isSignedIn, modelEventRules, signedOff, staysThroughWork, timeAfter, type ModelEventRule, type ModelFacts } from './modelEventRules';

/**
 * What {@link PresenceModel.transition} returns: what the machine's `transition` must return for the same state and
 * event, except that a refusal is its code alone (the wording of messages is not a rule).
 *
 * @category Model
 * @example
 * ```ts
 * import { presenceModel, type ModelTransition } from 'agent-presence/testing';
 * const model = presenceModel({});
 * const expected: ModelTransition = model.transition(model.initialState('a1'), { type: 'setPresence', presenceId: 'away', at: 5 });
 * console.log(expected.rejection); // NOT_SIGNED_IN
 * ```
 */
export interface ModelTransition {
  /** The state the machine must return: for a refused event, the state given. */
  readonly state: PresenceState;
  readonly presence: ResolvedPresence;
  /** True only when the presence id changed. */
  readonly changed: boolean;
  /** The code the event must be refused with; absent when it must be accepted. */
  readonly rejection?: RejectionCode;
  /** For an accepted event stamped before the state's latest time: how far behind it was. */
  readonly late?: number;
  /** The earliest time at which a `tick` would change the state returned; absent when nothing is pending. */
  readonly nextDeadline?: number;
}

/**
 * The reference model of one config: the presence rules written as plainly as possible and apart from the
 * machine, so the two can be compared event by event. It works on the machine's own `PresenceState`, so a state
 * can go from one to the other.
 *
 * @category Model
 * @example
 * ```ts
 * import { presenceModel, type PresenceModel } from 'agent-presence/testing';
 * const model: PresenceModel = presenceModel({ defaultProfile: { defaultPresenceId: 'away' } });
 * const { state } = model.transition(model.initialState('a1'), { type: 'signIn', at: 0 });
 * console.log(model.presenceOf(state).text); // Appear away
 * ```
 */
export interface PresenceModel {
  /** The config, as given; the model assumes `createPresenceMachine` accepts it. */
  readonly config: PresenceConfig;
  /**
   * The state of an agent who has not signed in: Offline, holding nothing.
   *
   * @param agentId - the agent's id
   * @param at - when the state starts, epoch milliseconds (default 0)
   * @returns the state the machine's `initialState` must return
   */
  initialState(agentId: string, at?: number): PresenceState;
  /**
   * Applies one event, or anything passed as one, by the rules.
   *
   * @param state - the agent's state
   * @param event - the event; anything that is not one must be refused with `INVALID_EVENT`
   * @returns what the machine must return
   */
  transition(state: PresenceState, event: unknown): ModelTransition;
  /**
   * The presence of a state as people and routing see it.
   *
   * @param state - the agent's state
   * @returns id, base, name, text, source and since
   */
  presenceOf(state: PresenceState): ResolvedPresence;
  /**
   * Where a value fails to be an event: `[[]]` when it is not an object, `[['type']]` for an unknown type,
   * otherwise one path per missing or malformed field; empty for an event.
   *
   * @param input - anything
   * @returns the paths an error about it must name
   */
  invalidPaths(input: unknown): readonly (readonly string[])[];
}

/** An object made as `{…}`, `JSON.parse` or `Object.create(null)` would make it, in any realm; not an array or a class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** Relative slack when comparing units with the capacity: rounding of fractional units must not hide a full agent. */
const ROUNDING = 1e-9;

/**
 * The capacity level of the work held (items in wrap-up included): full at capacity (or past it), at the item
 * limit, with a blocking capacity profile at its limit, or, when no profile is blocking, with every profile at
 * its limit; partial when anything at all is held (an item of 0 units too).
 */
function capacityLevelOf(work: readonly HeldWorkItem[], agent: ModelAgentRules): 'none' | 'partial' | 'full' {
  let used = 0;
  for (const item of work) used += item.units;
  if (used >= agent.capacity - ROUNDING * Math.max(1, agent.capacity)) return 'full'; // a capacity of 0 is always full
  if (work.length === 0) return 'none';
  if (agent.maxWorkItems !== undefined && work.length >= agent.maxWorkItems) return 'full';
  const atLimit = (name: string, maxItems: number) => work.filter((item) => item.profile === name).length >= maxItems;
  const profiles = [...agent.capacityProfiles];
  const blocking = profiles.filter(([, p]) => p.blocking);
  if (blocking.some(([name, p]) => atLimit(name, p.maxItems))) return 'full';
  if (profiles.length > 0 && blocking.length === 0 && profiles.every(([name, p]) => atLimit(name, p.maxItems))) return 'full';
  return 'partial';
}

type Shown = { presenceId: string; base: PresenceState['base']; source: PresenceSource };

/**
 * The presence the facts give, by the precedence of docs/concepts.md, first match wins: signed out is Offline
 * (for its reason); a system presence or sticky choice; idle; wrap-up; a manual Available or Busy; capacity.
 */
function decide(facts: ModelFacts, agent: ModelAgentRules): Shown {
  const shown = (id: string, source: PresenceSource): Shown => ({ presenceId: id, base: (agent.presence(id) as ModelPresence).base, source });
  if (!isSignedIn(facts)) return { presenceId: 'offline', base: 'Offline', source: facts.offline };
  const { choice } = facts;
  if (choice !== null && staysThroughWork(choice)) return choice; // 2 and 3: system presence, sticky choice
  const wrappingUp = agent.wrapUpPresenceId !== undefined && facts.work.some((item) => item.wrapUpUntil !== undefined);
  if (facts.idle) return shown(agent.idlePresenceId, 'idle'); // 4
  if (wrappingUp) return shown(agent.wrapUpPresenceId, 'wrapUp'); // 5
  if (choice !== null) return choice; // 6: manual Available or Busy
  return shown(agent.capacityPresenceIds[capacityLevelOf(facts.work, agent)], 'capacity'); // 7
}

/** A choice naming a presence gone from the config (removed or inactive) falls back to its base's standard presence. */
function stillThere(choice: PresenceChoice | null, agent: ModelAgentRules): PresenceChoice | null {
  if (choice === null || agent.presence(choice.presenceId)?.active === true) return choice;
  return { presenceId: agent.standardOf(choice.base).id, base: choice.base, source: 'config' };
}

/** The facts of a state. */
function factsOf(state: PresenceState): ModelFacts {
  return {
    sessions: state.sessions,
    // Offline keeps its reason until the next sign-in; a signed-in agent has none yet.
    offline: !state.signedIn && (state.source === 'expired' || state.source === 'disconnected') ? state.source : 'signOut',
    choice: state.choice,
    next: state.next,
    work: state.work,
    lastActivity: state.lastActivity,
    idle: state.idle,
    reconnect: state.reconnect,
  };
}

/** The state the facts give at time `at`, coming from `before` (whose `since` stays while the presence id does). */
function settle(facts: ModelFacts, before: PresenceState, agent: ModelAgentRules, at: number): PresenceState {
  const signedIn = isSignedIn(facts);
  const settled = { ...facts, choice: stillThere(facts.choice, agent) };
  const shown = decide(settled, agent);
  return {
    agentId: before.agentId,
    signedIn,
    sessions: facts.sessions,
    presenceId: shown.presenceId,
    base: shown.base,
    source: shown.source,
    since: shown.presenceId === before.presenceId ? before.since : at,
    choice: signedIn ? settled.choice : null,
    next: signedIn ? stillThere(facts.next, agent) : null,
    work: facts.work,
    lastActivity: facts.lastActivity,
    idle: signedIn && facts.idle,
    reconnect: facts.reconnect,
    lastAt: at,
  };
}

/**
 * Every time at which time alone changes the state: each session's expiry, the end of the reconnect grace, each
 * wrap-up's end, and going idle (signed in, not idle yet, no choice that stays through work and idleness).
 */
function deadlinesOf(state: PresenceState, agent: ModelAgentRules): number[] {
  const deadlines: number[] = [];
  if (agent.sessionTtlMs !== undefined) for (const session of state.sessions) deadlines.push(timeAfter(session.lastSeen, agent.sessionTtlMs));
  if (state.reconnect !== null) deadlines.push(state.reconnect.until);
  for (const item of state.work) if (item.wrapUpUntil !== undefined) deadlines.push(item.wrapUpUntil);
  if (agent.idleAfterMs !== undefined && state.signedIn && !state.idle && !staysThroughWork(state.choice)) {
    deadlines.push(timeAfter(state.lastActivity, agent.idleAfterMs));
  }
  return deadlines;
}

const earliest = (deadlines: readonly number[]): number | undefined => (deadlines.length === 0 ? undefined : Math.min(...deadlines));

/** What comes due by time `at` (each deadline at or before it), applied to the facts. */
function dueBy(facts: ModelFacts, agent: ModelAgentRules, at: number): ModelFacts {
  let next = facts;
  const ttl = agent.sessionTtlMs;
  const live = ttl === undefined ? facts.sessions : facts.sessions.filter((s) => timeAfter(s.lastSeen, ttl) > at);
  if (live.length < facts.sessions.length) next = live.length > 0 ? { ...next, sessions: live } : signedOff(next, 'expired');
  if (next.reconnect !== null && next.reconnect.until <= at) next = { ...next, reconnect: null };
  const work = next.work.filter((item) => item.wrapUpUntil === undefined || item.wrapUpUntil > at);
  if (work.length < next.work.length) next = afterWorkEvent({ ...next, work });
  const idleAt = agent.idleAfterMs === undefined ? undefined : timeAfter(facts.lastActivity, agent.idleAfterMs);
  if (isSignedIn(next) && !staysThroughWork(next.choice) && idleAt !== undefined && idleAt <= at) next = { ...next, idle: true };
  return next;
}

/**
 * Applies the deadlines up to `until`, one at a time in time order, each at its own time (never before `lastAt`).
 * `since` runs from the state before each deadline, or from `sinceFrom` when given: the deadlines an event makes
 * due at once happen at the event's instant, so they are measured from the state before the event.
 */
function advance(state: PresenceState, agent: ModelAgentRules, until: number, sinceFrom?: PresenceState): PresenceState {
  for (let due = earliest(deadlinesOf(state, agent)); due !== undefined && due <= until; due = earliest(deadlinesOf(state, agent))) {
    const at = Math.max(due, state.lastAt);
    state = settle(dueBy(factsOf(state), agent, at), sinceFrom ?? state, agent, at);
  }
  return state;
}

/**
 * Makes the reference model of a config: the presence rules written plainly, one entry per event type, without
 * the machine's code. Model-based tests run the machine and the model side by side (`fc.commands` and
 * `fc.modelRun`) and compare them after every event; anyone embedding agent-presence can do the same for their
 * own wrapper.
 *
 * The model trusts its config (check it with `validateConfig` first); it checks events, as the machine does.
 *
 * @param config - a config `createPresenceMachine` accepts
 * @returns the model, with the machine's `initialState`, `transition` and `presenceOf`
 * @category Model
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { presenceModel } from 'agent-presence/testing';
 * const config = { agents: { 'agent-7': { capacity: 40 } } };
 * const model = presenceModel(config);
 * const machine = createPresenceMachine(config);
 * const signedIn = model.transition(model.initialState('agent-7'), { type: 'signIn', at: 0 }).state;
 * const event = { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 1_000 } as const;
 * const expected = model.transition(signedIn, event);
 * console.log(expected.presence.presenceId); // busy-dnd
 * console.log(machine.transition(signedIn, event).presence.presenceId === expected.presence.presenceId); // true
 * ```
 */
export function presenceModel(config: PresenceConfig): PresenceModel {
  const agents = new Map<string, ModelAgentRules>();
  const agentOf = (agentId: string): ModelAgentRules => {
    let rules = agents.get(agentId);
    if (rules === undefined) agents.set(agentId, (rules = modelAgentRules(config, agentId)));
    return rules;
  };

  const presenceOf = (state: PresenceState): ResolvedPresence => {
    const agent = agentOf(state.agentId);
    const look = (id: string, base: PresenceState['base']) => agent.presence(id) ?? agent.standardOf(base);
    const shown = look(state.presenceId, state.base);
    const presence = { presenceId: state.presenceId, base: state.base, name: shown.name, text: shown.text, source: state.source, since: state.since };
    if (state.next === null) return presence;
    const next = look(state.next.presenceId, state.next.base);
    return { ...presence, next: { presenceId: state.next.presenceId, base: state.next.base, name: next.name, text: next.text } };
  };

  /** What a transition from `given` to `state` returns. */
  const answer = (given: PresenceState, state: PresenceState, extra: { rejection?: RejectionCode; late?: number }): ModelTransition => {
    const deadline = earliest(deadlinesOf(state, agentOf(state.agentId)));
    return {
      state,
      presence: presenceOf(state),
      changed: state.presenceId !== given.presenceId,
      ...(extra.rejection === undefined ? {} : { rejection: extra.rejection }),
      ...(extra.late === undefined ? {} : { late: extra.late }),
      ...(deadline === undefined ? {} : { nextDeadline: deadline }),
    };
  };

  const invalidPaths = (input: unknown): string[][] => {
    // Each field is read once; a getter or proxy that throws makes its own field bad (the root, for the object itself).
    const read = (field: string): { value?: unknown; threw?: true } => {
      try {
        return { value: (input as Record<string, unknown>)[field] };
      } catch {
        return { threw: true };
      }
    };
    let plain: boolean;
    try {
      plain = isPlainObject(input);
    } catch {
      return [[]];
    }
    if (!plain) return [[]];
    const type = read('type');
    if (type.threw || typeof type.value !== 'string' || !Object.hasOwn(modelEventRules, type.value)) return [['type']];
    const rule = modelEventRules[type.value as PresenceEvent['type']];
    const values: Record<string, unknown> = { type: type.value };
    const bad: string[][] = [];
    for (const field of Object.keys(rule.fields)) {
      const got = read(field);
      if (got.threw) bad.push([field]);
      else values[field] = got.value;
    }
    for (const [field, { required, ok }] of Object.entries(rule.fields)) {
      if (!Object.hasOwn(values, field)) continue; // could not be read: already bad
      const value = values[field];
      if (value === undefined && !(typeof required === 'function' ? required(values) : required)) continue;
      if (!ok(value)) bad.push([field]);
    }
    return bad;
  };

  return {
    config,

    initialState: (agentId, at = 0) => ({
      agentId,
      signedIn: false,
      sessions: [],
      presenceId: 'offline',
      base: 'Offline',
      source: 'signOut',
      since: at + 0,
      choice: null,
      next: null,
      work: [],
      lastActivity: at + 0,
      idle: false,
      reconnect: null,
      lastAt: at + 0,
    }),

    transition(given, input) {
      // A malformed event has no usable time: it is refused with the very state given, no deadline applied.
      if (invalidPaths(input).length > 0) return answer(given, given, { rejection: 'INVALID_EVENT' });
      const event = input as PresenceEvent;
      // A late event (stamped before the latest time applied) is applied at that latest time: time never runs back.
      const late = event.at < given.lastAt ? given.lastAt - event.at : undefined;
      const at = late === undefined ? event.at + 0 : given.lastAt;
      const agent = agentOf(given.agentId);
      // What came due before the event happened, whatever the event is (a refused one too).
      const state = advance(given, agent, at);
      const rule = modelEventRules[event.type] as ModelEventRule<PresenceEvent>;
      const facts = rule.apply(factsOf(state), event, agent, at);
      if (typeof facts === 'string') return answer(given, state, { rejection: facts });
      // Then anything the event itself made due at once (a wrap-up or a session too short to move `at`): at the
      // same instant, so a presence back where it was before the event did not change.
      const next = advance(settle(facts, state, agent, at), agent, at, state);
      return answer(given, next, late === undefined ? {} : { late });
    },

    presenceOf,
    invalidPaths,
  };
}
