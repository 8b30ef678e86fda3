/**
 * One agent's run for property tests, composed from the kit's generators (agent-presence/testing): a valid
 * config, an agent (one with a profile of its own, or one without), the time its state starts at, and events in
 * mostly rising time with late ones and, about one in fifteen, a hostile input in between.
 */
import fc from 'fast-check';
import type { PresenceConfig, PresenceEvent } from '../../src/index';
import { hostileInputArb, presenceConfigArb, presenceEventArb } from '../../src/testing/index';

/** An agent that never has a profile of its own, so it falls back to the default profile. */
export const AGENT_WITHOUT_PROFILE = 'agent-unlisted';

/** How far `at` moves from the latest time so far: mostly forward (or not at all), sometimes back (a late event). */
export const timeStepArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 1_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -500, max: -1 }) },
);

/** An agent of the config: one of those with a profile, or one without. */
export const agentIdArb = (config: PresenceConfig): fc.Arbitrary<string> => fc.constantFrom(...Object.keys(config.agents ?? {}), AGENT_WITHOUT_PROFILE);

export interface Scenario {
  readonly config: PresenceConfig;
  readonly agentId: string;
  readonly start: number;
  /** Events, and hostile inputs passed as events the way a careless caller would. */
  readonly events: readonly PresenceEvent[];
}

type Step = { readonly event: PresenceEvent; readonly delta: number } | { readonly hostile: unknown };

const hostileArb = hostileInputArb();

export const scenarioArb: fc.Arbitrary<Scenario> = presenceConfigArb()
  .chain((config) => fc.record({ config: fc.constant(config), agentId: agentIdArb(config), start: fc.integer({ min: 0, max: 1_000 }) }))
  .chain(({ config, agentId, start }) => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 14, arbitrary: fc.record({ event: presenceEventArb(config, agentId, { at: fc.constant(0) }), delta: timeStepArb }) },
      { weight: 1, arbitrary: hostileArb.map((hostile) => ({ hostile })) },
    );
    return fc.array(step, { maxLength: 40 }).map((steps): Scenario => {
      let latest = start;
      const events = steps.map((s): PresenceEvent => {
        if ('hostile' in s) return s.hostile as PresenceEvent;
        const at = Math.max(0, latest + s.delta);
        latest = Math.max(latest, at);
        return { ...s.event, at };
      });
      return { config, agentId, start, events };
    });
  });
