import type {
  HeldWorkItem,
  PresenceConfig,
  PresenceEvent,
  PresenceSource,
  PresenceState,
  RejectionCode,
  ResolvedPresence,
} from '../core/index';
import { modelAgentRules, type ModelAgentRules } from './modelAgentRules';
import { modelEventRules, type ModelEventRule, type ModelFacts } from './modelEventRules';

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

/** The capacity level of the work held: full at capacity (or past it) or at the item limit; partial when units are used. */
function capacityLevelOf(work: readonly HeldWorkItem[], agent: ModelAgentRules): 'none' | 'partial' | 'full' {
  let used = 0;
  for (const item of work) used += item.units;
  if (used >= agent.capacity - ROUNDING * Math.max(1, agent.capacity)) return 'full';
  if (agent.maxWorkItems !== undefined && work.length >= agent.maxWorkItems) return 'full';
  return used > 0 ? 'partial' : 'none';
}

/**
 * The presence the facts give, by precedence: signed out is Offline; else the choice in force (manual pick or
 * sticky default); else the capacity presence. To add a rule (a system presence, idle, wrap-up), insert it here
 * at its place in the precedence.
 */
function decide(facts: ModelFacts, agent: ModelAgentRules): { presenceId: string; base: PresenceState['base']; source: PresenceSource } {
  if (!facts.signedIn) return { presenceId: 'offline', base: 'Offline', source: 'signOut' };
  if (facts.choice !== null) return { presenceId: facts.choice.presenceId, base: facts.choice.base, source: facts.choice.source };
  const id = agent.capacityPresenceIds[capacityLevelOf(facts.work, agent)];
  return { presenceId: id, base: (agent.presence(id) as { base: PresenceState['base'] }).base, source: 'capacity' };
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
    const shown = agent.presence(state.presenceId) ?? agent.standardOf(state.base);
    return { presenceId: state.presenceId, base: state.base, name: shown.name, text: shown.text, source: state.source, since: state.since };
  };

  const invalidPaths = (input: unknown): string[][] => {
    if (!isPlainObject(input)) return [[]];
    const type = input.type;
    if (typeof type !== 'string' || !Object.hasOwn(modelEventRules, type)) return [['type']];
    const rule = modelEventRules[type as PresenceEvent['type']];
    const bad: string[][] = [];
    for (const [field, { required, ok }] of Object.entries(rule.fields)) {
      const value = input[field];
      if (value === undefined && !required) continue;
      if (!ok(value)) bad.push([field]);
    }
    return bad;
  };

  return {
    config,

    initialState: (agentId, at = 0) => ({
      agentId,
      signedIn: false,
      presenceId: 'offline',
      base: 'Offline',
      source: 'signOut',
      since: at + 0,
      choice: null,
      work: [],
      lastAt: at + 0,
    }),

    transition(state, input) {
      const refuse = (rejection: RejectionCode): ModelTransition => ({ state, presence: presenceOf(state), changed: false, rejection });
      if (invalidPaths(input).length > 0) return refuse('INVALID_EVENT');
      const event = input as PresenceEvent;
      // A late event (stamped before the latest time applied) is applied at that latest time: time never runs back.
      const late = event.at < state.lastAt ? state.lastAt - event.at : undefined;
      const at = late === undefined ? event.at + 0 : state.lastAt;
      const agent = agentOf(state.agentId);
      const rule = modelEventRules[event.type] as ModelEventRule<PresenceEvent>;
      const facts = rule.apply({ signedIn: state.signedIn, choice: state.choice, work: state.work }, event, agent, at);
      if (typeof facts === 'string') return refuse(facts);
      const shown = decide(facts, agent);
      const changed = shown.presenceId !== state.presenceId;
      const next: PresenceState = {
        agentId: state.agentId,
        signedIn: facts.signedIn,
        presenceId: shown.presenceId,
        base: shown.base,
        source: shown.source,
        since: changed ? at : state.since,
        choice: facts.choice,
        work: facts.work,
        lastAt: at,
      };
      const result = { state: next, presence: presenceOf(next), changed };
      return late === undefined ? result : { ...result, late };
    },

    presenceOf,
    invalidPaths,
  };
}
