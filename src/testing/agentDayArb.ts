import fc from 'fast-check';
import type { PresenceConfig, PresenceEvent } from '../core/index';
import { modelAgentRules } from './modelAgentRules';

/**
 * One agent's working day, as {@link agentDayArb} generates it: the agent and its events in time order.
 *
 * @category Arbitraries
 * @example
 * ```ts
 * import type { AgentDay } from 'agent-presence/testing';
 * const day: AgentDay = { agentId: 'agent-7', events: [{ type: 'signIn', at: 0 }, { type: 'signOut', at: 28_800_000 }] };
 * ```
 */
export interface AgentDay {
  readonly agentId: string;
  readonly events: readonly PresenceEvent[];
}

/**
 * Options of {@link agentDayArb}.
 *
 * @category Arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { agentDayArb, type AgentDayArbOptions } from 'agent-presence/testing';
 * const options: AgentDayArbOptions = { agentId: 'agent-7', start: fc.constant(0), maxSteps: 10 };
 * const days = agentDayArb({}, options);
 * ```
 */
export interface AgentDayArbOptions {
  /** The agent. Default: one of the config's agents, or an agent without a profile of its own. */
  readonly agentId?: string;
  /** When the day starts (the sign-in), epoch milliseconds. Default: a time in 2023–2027. */
  readonly start?: fc.Arbitrary<number>;
  /** The most steps (an assignment, a release, a pick, a break) between sign-in and sign-out. Default 30. */
  readonly maxSteps?: number;
}

type Step =
  | { readonly kind: 'assign'; readonly channel: string; readonly units: number }
  | { readonly kind: 'release'; readonly which: number }
  | { readonly kind: 'pick'; readonly presenceId: string }
  | { readonly kind: 'break'; readonly length: number };

/** Time between two steps: mostly seconds to half an hour, sometimes nothing (two events in the same millisecond). */
const gapArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.integer({ min: 1_000, max: 1_800_000 }) });

/** Units of a work item: mostly whole numbers, sometimes 0 (a case that takes no capacity) or a fraction. */
const unitsArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.double({ min: 0.1, max: 60, noNaN: true }) },
);

/**
 * Generates plausible agent days: sign-in, then work assigned (each item a new id) and released (only items held),
 * manual picks of presences the agent may pick, now and then a break (sign-out, sign-in), and sign-out at the end,
 * sometimes followed by the release of work still held (work outlives a sign-out). Times never go back. Every
 * event of a day is one the machine accepts, so a day is a realistic script for routing and UI tests.
 *
 * @param config - the config the agent is under
 * @param options - the agent, the start time, the most steps
 * @returns an arbitrary of days
 * @category Arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { createPresenceMachine } from 'agent-presence';
 * import { agentDayArb } from 'agent-presence/testing';
 * const machine = createPresenceMachine({});
 * fc.assert(
 *   fc.property(agentDayArb({}), ({ agentId, events }) => {
 *     let state = machine.initialState(agentId);
 *     for (const event of events) {
 *       const result = machine.transition(state, event);
 *       if (result.rejection) return false; // a day holds no refused events
 *       state = result.state;
 *     }
 *     return state.base === 'Offline';
 *   }),
 *   { numRuns: 50 },
 * );
 * ```
 */
export function agentDayArb(config: PresenceConfig, options: AgentDayArbOptions = {}): fc.Arbitrary<AgentDay> {
  const agentIdArb =
    options.agentId !== undefined
      ? fc.constant(options.agentId)
      : fc.constantFrom(...Object.keys(config.agents ?? {}), 'agent-without-profile');
  return agentIdArb.chain((agentId) => {
    const agent = modelAgentRules(config, agentId);
    const pickable = agent.catalog.filter((p) => agent.mayPick(p.id)).map((p) => p.id);
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('assign'), channel: fc.constantFrom('chat', 'call', 'case', 'email'), units: unitsArb }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('release'), which: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('pick'), presenceId: fc.constantFrom(...pickable) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('break'), length: fc.integer({ min: 60_000, max: 3_600_000 }) }) },
    );
    return fc
      .record({
        start: options.start ?? fc.integer({ min: 1_672_531_200_000, max: 1_830_297_600_000 }),
        steps: fc.array(fc.tuple(stepArb, gapArb), { maxLength: options.maxSteps ?? 30 }),
        releaseAfterSignOut: fc.boolean(),
      })
      .map(({ start, steps, releaseAfterSignOut }): AgentDay => {
        let at = start;
        let next = 1;
        const held: string[] = [];
        const events: PresenceEvent[] = [{ type: 'signIn', at }];
        for (const [step, gap] of steps) {
          at += gap;
          if (step.kind === 'assign') {
            const workItemId = `${step.channel}-${next++}`;
            held.push(workItemId);
            events.push({ type: 'workAssigned', workItemId, units: step.units, at });
          } else if (step.kind === 'release' && held.length > 0) {
            const [workItemId] = held.splice(step.which % held.length, 1) as [string];
            events.push({ type: 'workReleased', workItemId, at });
          } else if (step.kind === 'pick') {
            events.push({ type: 'setPresence', presenceId: step.presenceId, at });
          } else if (step.kind === 'break') {
            events.push({ type: 'signOut', at }, { type: 'signIn', at: (at += step.length) });
          }
        }
        events.push({ type: 'signOut', at: (at += 60_000) });
        if (releaseAfterSignOut) for (const workItemId of held) events.push({ type: 'workReleased', workItemId, at: (at += 1_000) });
        return { agentId, events };
      });
  });
}
