import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine, formatPath } from '../../src/index';
import type { PresenceEvent, PresenceMachine, PresenceState } from '../../src/index';
import { parseEvent, PresenceEventError, safeParseEvent } from '../../src/schema/index';
import { createMemoryPresenceStore, createPresenceService, DEFAULT_MAX_CLOCK_SKEW_MS } from '../../src/service/index';
import type { PresenceService, PresenceStore } from '../../src/service/index';
import { hostileInputArb, presenceModel } from '../../src/testing/index';
import type { PresenceModel } from '../../src/testing/index';
import { profile, propertyRuns, propertyTimeout } from '../helpers/propertyRuns';
import { recordingScheduler } from '../helpers/service';

/**
 * Hostile input (agent-presence/testing's hostileInputArb: malformed events, NaN, infinities, negative units,
 * 1 MB strings, prototype-pollution payloads, any other value, events of every type) through every entrance of
 * the package (parseEvent, safeParseEvent, machine.transition, the service's dispatchRaw): nothing escapes but the
 * documented error, the error names the path of each bad field, no prototype is polluted, the state given is
 * returned unchanged, and the service's stored record is left as it was.
 */

const INPUTS = { ci: 50_000, deep: 1_000_000, mutation: 100 };

/** Longest message accepted for any refusal: a 1 MB value must be cut, not echoed. */
const MAX_MESSAGE = 2_000;

const config = {
  presences: [{ id: 'away-training', name: 'Away – In Training', base: 'Away' as const }],
  agents: Object.fromEntries([['__proto__', { capacity: 50 }]]),
};
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * The machine, the model, and the states the input meets: never signed in; signed in with work held and a sticky
 * pick (of an agent named `__proto__`). Made in beforeEach, not at load, so that mutation testing sees the test
 * run them.
 */
let machine: PresenceMachine;
let model: PresenceModel;
let STATES: readonly PresenceState[];
let SNAPSHOTS: readonly string[];
/** A service over a memory store holding the busy agent (its timers recorded, never fired), and that store. */
let service: PresenceService;
let store: PresenceStore;
/** The service's clock: it stamps events that come without `at`, and refuses those further ahead than the skew allowed. */
const SERVICE_NOW = 1_000_000_000_000;
/** What the service makes of an input before checking it: a plain object without `at` gets the service's time. */
const stampedByService = (input: unknown): unknown => {
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    const prototype: unknown = Object.getPrototypeOf(input);
    if (prototype !== null && Object.getPrototypeOf(prototype) !== null) return input;
    return (input as { at?: unknown }).at === undefined ? { ...input, at: SERVICE_NOW } : input;
  } catch {
    return input; // a getter or proxy that throws: the service names it, as the model does
  }
};
const BUSY_DAY = [
  { type: 'signIn', at: 2_000 },
  { type: 'workAssigned', workItemId: 'chat-1', units: 20, at: 3_000 },
  { type: 'setPresence', presenceId: 'away-training', at: 4_000 },
] as const;
beforeEach(async () => {
  machine = createPresenceMachine(config);
  model = presenceModel(config);
  const fresh = machine.initialState('agent-7', 1_000);
  let busy = machine.initialState('__proto__', 1_000);
  for (const event of BUSY_DAY) busy = machine.transition(busy, event).state;
  STATES = [fresh, busy].map((state) => deepFreeze(state));
  SNAPSHOTS = STATES.map((state) => JSON.stringify(state));
  store = createMemoryPresenceStore();
  service = createPresenceService({
    machine,
    store,
    clock: { now: () => SERVICE_NOW },
    scheduler: recordingScheduler(),
    onError: (error) => {
      throw error;
    },
  });
  for (const event of BUSY_DAY) await service.dispatch('__proto__', event);
});

/** What the reference model says about an input: the paths of its bad fields (none: it is an event). */
interface Verdict {
  readonly paths: readonly (readonly string[])[];
}

/** One entrance of hostile input. `enter` checks everything that must hold for the input and throws when not. */
interface Target {
  readonly name: string;
  enter(input: unknown, verdict: Verdict, state: PresenceState): void | Promise<void>;
}

/** A check that costs nothing when it holds (expect() would, 50,000 times over). */
function must(condition: boolean, problem: () => string): void {
  if (!condition) throw new Error(problem());
}

const sortedPaths = (paths: readonly (readonly (string | number)[])[]) => paths.map((path) => JSON.stringify(path)).sort();

/** The error must be ours, list exactly the bad paths, and name each in a bounded message. */
function checkEventError(error: unknown, verdict: Verdict): void {
  must(error instanceof PresenceEventError && error.name === 'PresenceEventError', () => `threw ${String(error)}, not a PresenceEventError`);
  const { issues, message } = error as PresenceEventError;
  const [got, want] = [sortedPaths(issues.map((issue) => issue.path)), sortedPaths(verdict.paths)];
  must(isDeepStrictEqual(got, want), () => `names the paths ${got.join(' ')}, not ${want.join(' ')}`);
  for (const issue of issues) must(message.includes(`- ${formatPath(issue.path)}: `), () => `message does not name ${formatPath(issue.path)}: ${message}`);
  must(message.length <= MAX_MESSAGE, () => `message of ${message.length} characters`);
}

const EVENT_KEYS = ['type', 'at', 'eventId', 'presenceId', 'workItemId', 'units', 'profile', 'sessionId', 'when', 'wrapUpMs'];

/** A parsed event: a fresh plain object holding only the fields of its type. */
function checkParsed(event: PresenceEvent, input: unknown): void {
  must(event !== input, () => 'returned the input itself');
  must(Object.getPrototypeOf(event) === Object.prototype, () => 'returned an object that is not plain');
  must(
    Object.keys(event).every((key) => EVENT_KEYS.includes(key)),
    () => `returned fields ${Object.keys(event).join(', ')}`,
  );
}

const NOT_JSON = Symbol('not JSON');
const parsedJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
};

const TARGETS: readonly Target[] = [
  {
    name: 'safeParseEvent',
    enter(input, verdict) {
      const result = safeParseEvent(input);
      must(result.success === (verdict.paths.length === 0), () => `success ${result.success} for paths ${sortedPaths(verdict.paths).join(' ')}`);
      if (result.success) checkParsed(result.data, input);
      else checkEventError(result.error, verdict);
    },
  },
  {
    name: 'parseEvent',
    enter(input, verdict) {
      let parsed: PresenceEvent | undefined;
      try {
        parsed = parseEvent(input);
      } catch (error) {
        must(verdict.paths.length > 0, () => `threw ${String(error)} for an event`);
        checkEventError(error, verdict);
        return;
      }
      must(verdict.paths.length === 0, () => 'returned for a non-event');
      checkParsed(parsed, input);
    },
  },
  {
    name: 'machine.transition',
    enter(input, verdict, state) {
      const result = machine.transition(state, input as PresenceEvent); // throws: escapes, and the property fails
      const expected = model.transition(state, input);
      must(result.rejection?.code === expected.rejection, () => `refused with ${result.rejection?.code}, the model says ${expected.rejection}`);
      if (verdict.paths.length === 0) {
        must(isDeepStrictEqual(result.state, expected.state), () => 'accepted into another state than the model');
        return;
      }
      must(result.rejection?.code === 'INVALID_EVENT' && result.state === state && !result.changed, () => 'not refused as INVALID_EVENT with the state given');
      const message = result.rejection?.message ?? '';
      must(message.length <= MAX_MESSAGE, () => `message of ${message.length} characters`);
      for (const path of verdict.paths) {
        const named = path.length === 0 ? ['must be an object', 'could not be read'] : [`${formatPath(path)} must`, `${formatPath(path)} could not be read`];
        must(
          named.some((words) => message.includes(words)),
          () => `message does not say "${named.join('" or "')}": ${message}`,
        );
      }
    },
  },
  {
    // The same agent, stored by the service: the input meets whatever the earlier valid inputs left stored.
    name: 'service.dispatchRaw',
    async enter(raw, _given, state) {
      // dispatchRaw also takes JSON text: text is judged by what it parses to (text that is no JSON: at the root).
      // An event without `at` is stamped with the service's clock, so only the stamped input is judged.
      const parsed = typeof raw === 'string' ? parsedJson(raw) : raw;
      const input = parsed === NOT_JSON ? parsed : stampedByService(parsed);
      const verdict: Verdict = { paths: input === NOT_JSON ? [[]] : model.invalidPaths(input) };
      const agentId = state.agentId;
      const before = await store.load(agentId);
      const stored = JSON.stringify(before);
      let result;
      try {
        result = await service.dispatchRaw(agentId, raw);
      } catch (error) {
        must(verdict.paths.length > 0, () => `threw ${String(error)} for an event`);
        checkEventError(error, verdict);
        must(JSON.stringify(await store.load(agentId)) === stored, () => 'the stored record changed for refused input');
        return;
      }
      must(verdict.paths.length === 0, () => 'accepted a non-event');
      if ((input as PresenceEvent).at > SERVICE_NOW + DEFAULT_MAX_CLOCK_SKEW_MS) {
        must(result.rejection?.code === 'EVENT_IN_FUTURE', () => `took an event from the far future (${result.rejection?.code})`);
        must(JSON.stringify(await store.load(agentId)) === stored, () => 'the stored record changed for an event from the far future');
        return;
      }
      if (result.rejection?.code === 'WORK_ITEM_TAKEN') {
        // One item, one agent: the other agent holds the item (the model knows one agent only).
        const workItemId = (input as { workItemId?: unknown }).workItemId;
        const others = await Promise.all(STATES.filter((s) => s.agentId !== agentId).map((s) => store.load(s.agentId)));
        must(
          others.some((other) => other?.record.state.work.some((item) => item.workItemId === workItemId) === true),
          () => `refused with WORK_ITEM_TAKEN an item no other agent holds (${String(workItemId)})`,
        );
        must(JSON.stringify(await store.load(agentId)) === stored, () => 'the stored record changed for an item another agent holds');
        return;
      }
      if (result.duplicate) {
        must(JSON.stringify(await store.load(agentId)) === stored, () => 'the stored record changed for a duplicate');
        return;
      }
      // An agent stored for the first time starts at the event's time.
      const expected = model.transition(before?.record.state ?? model.initialState(agentId, (input as PresenceEvent).at), input);
      must(result.rejection?.code === expected.rejection, () => `refused with ${result.rejection?.code}, the model says ${expected.rejection}`);
      must(isDeepStrictEqual(result.state, expected.state), () => 'dispatched into another state than the model');
    },
  },
];

/** Every own property of the prototypes a payload could reach, with its descriptor. */
const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype };
const describePrototypes = () =>
  Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, prototype]) => [
      name,
      Reflect.ownKeys(prototype).map((key) => [String(key), Object.getOwnPropertyDescriptor(prototype, key)]),
    ]),
  );

describe('hostile input', () => {
  let before: ReturnType<typeof describePrototypes>;
  beforeAll(() => {
    before = describePrototypes();
  });
  afterAll(() => {
    expect(describePrototypes()).toEqual(before);
  });

  it(
    `of ${INPUTS[profile].toLocaleString('en')} generated kinds gets only the documented refusal, naming its path, and changes nothing`,
    async () => {
      const seen = { refused: 0, accepted: 0 };
      await fc.assert(
        fc.asyncProperty(hostileInputArb(), fc.nat(1), async (input, which) => {
          const state = STATES[which] as PresenceState;
          const verdict: Verdict = { paths: model.invalidPaths(input) };
          seen[verdict.paths.length === 0 ? 'accepted' : 'refused']++;
          for (const target of TARGETS) {
            try {
              await target.enter(input, verdict, state);
            } catch (error) {
              throw new Error(`${target.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
            }
            must(({} as { polluted?: unknown }).polluted === undefined, () => `${target.name} polluted Object.prototype`);
            must(([] as unknown as { polluted?: unknown }).polluted === undefined, () => `${target.name} polluted Array.prototype`);
          }
          must(JSON.stringify(state) === SNAPSHOTS[which], () => 'the state given changed');
        }),
        propertyRuns(INPUTS),
      );
      // Mostly malformed, but some are events with tricky ids, which must be taken as data.
      expect(seen.refused).toBeGreaterThan(seen.accepted);
      expect(seen.accepted).toBeGreaterThan(0);
    },
    propertyTimeout(120_000),
  );

  it('is detected by the prototype check (a polluted prototype would be reported)', () => {
    const clean = describePrototypes();
    Object.defineProperty(Object.prototype, 'pollutedForTheCheck', { value: true, configurable: true });
    try {
      expect(describePrototypes()).not.toEqual(clean);
    } finally {
      delete (Object.prototype as { pollutedForTheCheck?: unknown }).pollutedForTheCheck;
    }
    expect(describePrototypes()).toEqual(clean);
  });
});
