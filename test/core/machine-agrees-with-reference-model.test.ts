import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import type { PresenceConfig, PresenceEvent, PresenceMachine, PresenceState, Transition } from '../../src/index';
import { hostileInputArb, presenceConfigArb, presenceEventArb, presenceModel } from '../../src/testing/index';
import type { ModelTransition, PresenceModel } from '../../src/testing/index';
import { profile, propertyRuns, propertyTimeout } from '../helpers/propertyRuns';
import { agentIdArb, timeStepArb } from '../helpers/scenarioArb';

/**
 * Model-based testing: fast-check generates command sequences (`fc.commands`), `fc.modelRun` applies each command
 * to the machine and to the reference model of agent-presence/testing, and the two are compared after every
 * command: state, presence, changed, late, and the refusal code. A failure prints fast-check's seed, path and
 * the shrunk command sequence; repeat it with `npm run test:deep -- --seed <seed>` or `AGENT_PRESENCE_SEED`.
 *
 * The real system is the machine. The service is held to the model elsewhere (hostile input through `dispatchRaw`
 * in test/schema/hostile-input-never-escapes.test.ts), and to the machine (concurrent writers against a sequential
 * replay in test/service/service-concurrent-writers-match-sequential-replay.test.ts).
 */

/** Sequences per run of this file: at least 10,000 in CI (`npm test`), ten times more in `npm run test:deep`. */
const SEQUENCES = { ci: 10_000, deep: 100_000, mutation: 100 };
const RUNS = propertyRuns(SEQUENCES);

interface Model {
  model: PresenceModel;
  state: PresenceState;
  /** The latest event time so far; each command's time is this plus the command's step (negative: a late event). */
  clock: number;
}

interface Real {
  machine: PresenceMachine;
  state: PresenceState;
}

/** Throws, with both sides, when the machine's transition differs from the model's. */
function compare(event: unknown, before: PresenceState, actual: Transition, expected: ModelTransition): void {
  const { rejection, ...machineSide } = actual;
  const { rejection: code, ...modelSide } = expected;
  // A refusal with no deadline due returns the very state given (one with deadlines due, the state after them).
  const untouched = code === undefined || !isDeepStrictEqual(expected.state, before) || actual.state === before;
  if (rejection?.code === code && isDeepStrictEqual(machineSide, modelSide) && untouched) return;
  // Only on a disagreement: let vitest render the difference.
  expect({ event: fc.stringify(event), ...actual, rejection: rejection?.code }).toStrictEqual({ event: fc.stringify(event), ...expected, rejection: code });
  throw new Error(`the machine refused with the model's code but returned a copy of the state, not the state given, for ${fc.stringify(event)}`);
}

/** What the sequences reached, so the test fails if the generators stop reaching the rules they are meant to. */
const reached = new Set<string>();

/** Applies one input to both sides and compares them. */
function step(m: Model, r: Real, input: unknown): void {
  const expected = m.model.transition(m.state, input);
  const actual = r.machine.transition(r.state, input as PresenceEvent);
  compare(input, r.state, actual, expected);
  reached.add(`source:${actual.state.source}`);
  if (actual.state.choice?.source === 'config') reached.add('config fallback');
  if (actual.state.next !== null) reached.add('queued pick');
  if (actual.state.reconnect !== null) reached.add('reconnect grace');
  if (actual.nextDeadline !== undefined) reached.add('deadline');
  m.state = expected.state;
  r.state = actual.state;
}

/** An event of the agent; its time is the clock plus `delta`, so sequences stay mostly in time order when shrunk. */
class EventCommand implements fc.Command<Model, Real> {
  constructor(
    readonly event: PresenceEvent,
    readonly delta: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const at = Math.max(0, m.clock + this.delta);
    m.clock = Math.max(m.clock, at);
    step(m, r, { ...this.event, at });
  }
  toString(): string {
    const { type, at: _at, ...fields } = this.event;
    const shown = Object.entries(fields).map(([key, value]) => `${key}=${fc.stringify(value)}`);
    return `${type}(${[...shown, `at=clock${this.delta < 0 ? '' : '+'}${this.delta}`].join(', ')})`;
  }
}

/** Anything passed as an event: must be refused as INVALID_EVENT with the state untouched, unless it is an event. */
class HostileCommand implements fc.Command<Model, Real> {
  constructor(readonly input: unknown) {}
  check = () => true;
  run(m: Model, r: Real): void {
    step(m, r, this.input);
  }
  toString(): string {
    const shown = fc.stringify(this.input);
    return `hostile(${shown.length > 120 ? `${shown.slice(0, 120)}… (${shown.length} characters)` : shown})`;
  }
}

/** The host stores the state as JSON and reads it back: what follows must not notice. */
class StoreAsJsonCommand implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    const copy: PresenceState = JSON.parse(JSON.stringify(r.state));
    expect(isDeepStrictEqual(copy, m.state), 'the JSON copy of the state equals the state').toBe(true);
    r.state = copy;
  }
  toString = () => 'storeAsJson()';
}

/**
 * The host changes the config under a stored state: custom presences no profile names are deactivated (or
 * active again, switching back). A choice or queued pick of one falls back to its base's standard presence, with
 * source `config`, at the next event.
 */
class ReconfigureCommand implements fc.Command<Model, Real> {
  constructor(readonly configs: readonly [PresenceConfig, PresenceConfig]) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const next = m.model.config === this.configs[0] ? this.configs[1] : this.configs[0];
    m.model = presenceModel(next);
    r.machine = createPresenceMachine(next);
    expect(r.machine.presenceOf(r.state)).toStrictEqual(m.model.presenceOf(m.state));
  }
  toString = () => 'reconfigure()';
}

/** Every presence id a profile or a capacity slot names as a presence to show (these must stay active). */
function namedPresences(config: PresenceConfig): Set<string> {
  const profiles = [config.defaultProfile ?? {}, ...Object.values(config.agents ?? {})];
  const fields = ['defaultPresenceId', 'idlePresenceId', 'wrapUpPresenceId', 'onMissed', 'onRejected'] as const;
  return new Set([...profiles.flatMap((p) => fields.map((f) => p[f])), ...Object.values(config.capacityPresences ?? {})].filter((id) => id !== undefined));
}

/** The config with every custom presence that nothing names as a presence to show deactivated. */
function withUnnamedDeactivated(config: PresenceConfig): PresenceConfig {
  const named = namedPresences(config);
  const presences = (config.presences ?? []).map((p) => (named.has(p.id) ? p : { ...p, active: false }));
  return { ...config, presences };
}

const hostileArb = hostileInputArb();

function commandsArb(config: PresenceConfig, agentId: string) {
  const configs = [config, withUnnamedDeactivated(config)] as const;
  const eventCommand = fc
    .tuple(presenceEventArb(config, agentId, { at: fc.constant(0) }), timeStepArb)
    .map(([event, delta]): fc.Command<Model, Real> => new EventCommand(event, delta));
  return fc.commands(
    [
      fc.oneof(
        { weight: 14, arbitrary: eventCommand },
        { weight: 1, arbitrary: hostileArb.map((input): fc.Command<Model, Real> => new HostileCommand(input)) },
        { weight: 1, arbitrary: fc.constant<fc.Command<Model, Real>>(new StoreAsJsonCommand()) },
        { weight: 1, arbitrary: fc.constant<fc.Command<Model, Real>>(new ReconfigureCommand(configs)) },
      ),
    ],
    { maxCommands: 40, size: 'medium' },
  );
}

const setupArb = presenceConfigArb()
  .chain((config) => fc.record({ config: fc.constant(config), agentId: agentIdArb(config), start: fc.integer({ min: 0, max: 1_000 }) }))
  .chain((setup) => fc.record({ setup: fc.constant(setup), commands: commandsArb(setup.config, setup.agentId) }));

describe('the machine and the reference model', () => {
  it(
    `agree after every command of ${SEQUENCES[profile].toLocaleString('en')} generated command sequences`,
    () => {
      let commandsRun = 0;
      fc.assert(
        fc.property(setupArb, ({ setup: { config, agentId, start }, commands }) => {
          const machine = createPresenceMachine(config);
          const model = presenceModel(config);
          fc.modelRun(() => {
            const real = machine.initialState(agentId, start);
            const expected = model.initialState(agentId, start);
            expect(real).toStrictEqual(expected);
            return { model: { model, state: expected, clock: start }, real: { machine, state: real } };
          }, commands);
          commandsRun += [...commands].length;
        }),
        RUNS,
      );
      expect(commandsRun).toBeGreaterThan(SEQUENCES[profile]); // sequences are not empty on average
      const sources = ['signOut', 'expired', 'disconnected', 'missed', 'rejected', 'manual', 'default', 'config', 'idle', 'wrapUp', 'capacity'];
      const wanted = [...sources.map((source) => `source:${source}`), 'config fallback', 'queued pick', 'reconnect grace', 'deadline'];
      // The reach check is about the generators, which the ci and deep runs check; a mutation run's few sequences
      // are there to meet each mutant with the same inputs, not to reach every rule.
      if (profile !== 'mutation') expect(wanted.filter((w) => !reached.has(w))).toEqual([]);
    },
    propertyTimeout(120_000),
  );
});
