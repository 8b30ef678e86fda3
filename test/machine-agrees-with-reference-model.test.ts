import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../src/index';
import type { PresenceConfig, PresenceEvent, PresenceMachine, PresenceState, Transition } from '../src/index';
import { hostileInputArb, presenceConfigArb, presenceEventArb, presenceModel } from '../src/testing/index';
import type { ModelTransition, PresenceModel } from '../src/testing/index';
import { profile, propertyRuns, propertyTimeout } from './helpers/propertyRuns';
import { agentIdArb, timeStepArb } from './helpers/scenarioArb';

/**
 * Model-based testing: fast-check generates command sequences (`fc.commands`), `fc.modelRun` applies each command
 * to the machine and to the reference model of agent-presence/testing, and the two are compared after every
 * command: state, presence, changed, late, and the refusal code. A failure prints fast-check's seed, path and
 * the shrunk command sequence; repeat it with `npm run test:deep -- --seed <seed>` or `AGENT_PRESENCE_SEED`.
 *
 * The real system is the machine. When the service lands, give `Real` a service holding the same agent, dispatch
 * every command's event to it as well (fc.asyncModelRun if dispatch is async), and compare its stored state and
 * answer with the model in `compare` the same way.
 */

/** Sequences per run of this file: at least 10,000 in CI (`npm test`), ten times more in `npm run test:deep`. */
const SEQUENCES = { ci: 10_000, deep: 100_000, mutation: 100 };
const RUNS = propertyRuns(SEQUENCES);

interface Model {
  readonly model: PresenceModel;
  state: PresenceState;
  /** The latest event time so far; each command's time is this plus the command's step (negative: a late event). */
  clock: number;
}

interface Real {
  readonly machine: PresenceMachine;
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

/** Applies one input to both sides and compares them. */
function step(m: Model, r: Real, input: unknown): void {
  const expected = m.model.transition(m.state, input);
  const actual = r.machine.transition(r.state, input as PresenceEvent);
  compare(input, r.state, actual, expected);
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

const hostileArb = hostileInputArb();

function commandsArb(config: PresenceConfig, agentId: string) {
  const eventCommand = fc
    .tuple(presenceEventArb(config, agentId, { at: fc.constant(0) }), timeStepArb)
    .map(([event, delta]): fc.Command<Model, Real> => new EventCommand(event, delta));
  return fc.commands(
    [
      fc.oneof(
        { weight: 14, arbitrary: eventCommand },
        { weight: 1, arbitrary: hostileArb.map((input): fc.Command<Model, Real> => new HostileCommand(input)) },
        { weight: 1, arbitrary: fc.constant<fc.Command<Model, Real>>(new StoreAsJsonCommand()) },
      ),
    ],
    { maxCommands: 40, size: 'medium' },
  );
}

const setupArb = presenceConfigArb()
  .chain((config) => fc.record({ config: fc.constant(config), agentId: agentIdArb(config), start: fc.integer({ min: 0, max: 1_000 }) }))
  .chain((setup) => fc.record({ setup: fc.constant(setup), commands: commandsArb(setup.config, setup.agentId) }));

describe('the machine and the reference model', () => {
  it(`agree after every command of ${SEQUENCES[profile].toLocaleString('en')} generated command sequences`, () => {
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
  }, propertyTimeout(120_000));
});
