import fc from 'fast-check';
import type { PresenceConfig, PresenceEvent } from '../core/index';
import { modelAgentRules } from './modelAgentRules';
import { presenceModel } from './presenceModel';

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
  readonly agentId?: string | undefined;
  /** When the day starts (the sign-in), epoch milliseconds. Default: a time in 2023–2027. */
  readonly start?: fc.Arbitrary<number> | undefined;
  /** The most steps (an assignment, a release, a pick, a break, a heartbeat, …) between sign-in and sign-out. Default 30. */
  readonly maxSteps?: number | undefined;
}

type Step =
  | { readonly kind: 'assign'; readonly channel: string; readonly units: number; readonly profile: number | undefined; readonly noUnits: boolean }
  | { readonly kind: 'release'; readonly which: number; readonly wrapUpMs: number | undefined; readonly endAfter: number | undefined }
  | { readonly kind: 'pick'; readonly presenceId: string; readonly afterWork: boolean }
  | { readonly kind: 'reset' }
  | { readonly kind: 'break'; readonly length: number }
  | { readonly kind: 'drop'; readonly length: number }
  | { readonly kind: 'secondTab'; readonly length: number }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'activity' }
  | { readonly kind: 'tick' }
  | { readonly kind: 'missed' }
  | { readonly kind: 'rejected' };

/** Time between two steps: mostly seconds to half an hour, sometimes nothing (two events in the same millisecond). */
const gapArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.integer({ min: 1_000, max: 1_800_000 }) });

/** Units of a work item: mostly whole numbers, sometimes 0 (a case that takes no capacity) or a fraction. */
const unitsArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.double({ min: 0.1, max: 60, noNaN: true }) },
);

const stepArb = (pickable: readonly string[]): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('assign' as const),
        channel: fc.constantFrom('chat', 'call', 'case', 'email'),
        units: unitsArb,
        profile: fc.option(fc.nat(), { nil: undefined }),
        noUnits: fc.boolean(),
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('release' as const),
        which: fc.nat(),
        wrapUpMs: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1_000, max: 300_000 })), { nil: undefined }),
        // The agent ends the wrap-up early, so long after the release.
        endAfter: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('pick' as const), presenceId: fc.constantFrom(...pickable), afterWork: fc.boolean() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('break' as const), length: fc.integer({ min: 60_000, max: 3_600_000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), length: fc.integer({ min: 1_000, max: 300_000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('secondTab' as const), length: fc.integer({ min: 1_000, max: 3_600_000 }) }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'heartbeat' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'activity' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'tick' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'missed' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'rejected' as const }) },
  );

/**
 * Generates plausible agent days: sign-in, then work assigned (each item a new id, some naming one of the agent's
 * capacity profiles) and released (only items held, some with a wrap-up, some wrap-ups ended early), manual picks
 * of presences the agent may pick (some queued for after work) and resets, heartbeats, activity and ticks, offers
 * missed or rejected, now and then a break (sign-out, sign-in), a dropped connection and its reconnect, a second
 * tab signed in and out, and sign-out at the end, sometimes followed by the release of work still held (work
 * outlives a sign-out). When a session expired (`sessionTtlMs`) the agent signs in again before its next step.
 * Times never go back. Every event of a day is one the machine accepts (the reference model screens them), so a
 * day is a realistic script for routing and UI tests.
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
    options.agentId !== undefined ? fc.constant(options.agentId) : fc.constantFrom(...Object.keys(config.agents ?? {}), 'agent-without-profile');
  const model = presenceModel(config);
  return agentIdArb.chain((agentId) => {
    const agent = modelAgentRules(config, agentId);
    const pickable = agent.catalog.filter((p) => agent.mayPick(p.id)).map((p) => p.id);
    const profiles = [...agent.capacityProfiles.keys()];
    return fc
      .record({
        start: options.start ?? fc.integer({ min: 1_672_531_200_000, max: 1_830_297_600_000 }),
        steps: fc.array(fc.tuple(stepArb(pickable), gapArb), { maxLength: options.maxSteps ?? 30 }),
        releaseAfterSignOut: fc.boolean(),
      })
      .map(({ start, steps, releaseAfterSignOut }): AgentDay => {
        let at = start;
        let next = 1;
        let state = model.initialState(agentId, start);
        const events: PresenceEvent[] = [];
        /** Adds the event if the rules accept it where the day is (a step that no longer fits is left out). */
        const add = (event: PresenceEvent): boolean => {
          const result = model.transition(state, event);
          if (result.rejection !== undefined) return false;
          state = result.state;
          events.push(event);
          return true;
        };
        const held = () => state.work.filter((item) => item.wrapUpUntil === undefined).map((item) => item.workItemId);
        const wrappingUp = () => state.work.filter((item) => item.wrapUpUntil !== undefined).map((item) => item.workItemId);
        const ensureSignedIn = () => {
          if (!state.signedIn) add({ type: 'signIn', at });
        };
        add({ type: 'signIn', at });
        for (const [step, gap] of steps) {
          at += gap;
          switch (step.kind) {
            case 'assign': {
              const workItemId = `${step.channel}-${next++}`;
              const profile = step.profile === undefined || profiles.length === 0 ? undefined : profiles[step.profile % profiles.length];
              if (profile === undefined) add({ type: 'workAssigned', workItemId, units: step.units, at });
              else if (step.noUnits) add({ type: 'workAssigned', workItemId, profile, at });
              else add({ type: 'workAssigned', workItemId, units: step.units, profile, at });
              break;
            }
            case 'release': {
              const ids = held();
              const workItemId = ids[step.which % Math.max(1, ids.length)];
              if (workItemId === undefined) break;
              add(step.wrapUpMs === undefined ? { type: 'workReleased', workItemId, at } : { type: 'workReleased', workItemId, wrapUpMs: step.wrapUpMs, at });
              if (step.endAfter !== undefined && wrappingUp().includes(workItemId)) add({ type: 'wrapUpEnded', workItemId, at: (at += step.endAfter) });
              break;
            }
            case 'pick':
              ensureSignedIn();
              add(
                step.afterWork
                  ? { type: 'setPresence', presenceId: step.presenceId, when: 'afterWork', at }
                  : { type: 'setPresence', presenceId: step.presenceId, at },
              );
              break;
            case 'reset':
              ensureSignedIn();
              add({ type: 'resetPresence', at });
              break;
            case 'break':
              if (add({ type: 'signOut', at })) add({ type: 'signIn', at: (at += step.length) });
              break;
            case 'drop':
              ensureSignedIn();
              if (add({ type: 'disconnected', at })) add({ type: 'signIn', at: (at += step.length) });
              break;
            case 'secondTab':
              ensureSignedIn();
              if (add({ type: 'signIn', sessionId: 'tab-2', at })) add({ type: 'signOut', sessionId: 'tab-2', at: (at += step.length) });
              break;
            case 'heartbeat':
              ensureSignedIn();
              add({ type: 'heartbeat', at });
              break;
            case 'activity':
              add({ type: 'activity', at });
              break;
            case 'tick':
              add({ type: 'tick', at });
              break;
            case 'missed':
              add({ type: 'workMissed', workItemId: `offer-${next++}`, at });
              break;
            case 'rejected':
              add({ type: 'workRejected', workItemId: `offer-${next++}`, at });
              break;
          }
        }
        add({ type: 'signOut', at: (at += 60_000) });
        if (releaseAfterSignOut) for (const workItemId of held()) add({ type: 'workReleased', workItemId, at: (at += 1_000) });
        return { agentId, events };
      });
  });
}
