import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine, fieldRules, formatIssues, formatPath, PresenceConfigError, validateConfig, validateEvent } from '../../src/index';
import type { PresenceConfig, PresenceEvent, PresenceMachine } from '../../src/index';

/**
 * Refusal and error messages are for people: they show the offending value briefly (what kind of value when it
 * is not a simple one), name each field by a path written the way a developer writes it, and list every problem.
 */

const unitsMessage = (value: unknown) => fieldRules.units(value);

describe('a value shown in a message', () => {
  it.each<[string, unknown, string]>([
    ['a number as written', -1, '(got -1)'],
    ['NaN', Number.NaN, '(got NaN)'],
    ['a boolean as written', true, '(got true)'],
    ['null', null, '(got null)'],
    ['undefined', undefined, '(got undefined)'],
    ['a short string quoted', '40', '(got "40")'],
    ['an array by its kind', [40], '(got an array)'],
    ['a plain object by its kind', { units: 40 }, '(got an object)'],
    ['a prototype-less object by its kind', Object.create(null), '(got an object)'],
    ['a function by its type', () => 40, '(got a function)'],
    ['a bigint by its type', 40n, '(got a bigint)'],
    ['a symbol by its type', Symbol('units'), '(got a symbol)'],
    ['a class instance by its class', new (class Payload {})(), '(got an instance of Payload)'],
    ['a Date by its class', new Date(0), '(got an instance of Date)'],
    ['an instance of an anonymous class as an object', new ((() => class {})())(), '(got an object)'],
    ['an object whose prototype has no constructor as an object', Object.create(Object.create(null)), '(got an object)'],
    ['an object with no constructor anywhere as an object', Object.create(Object.create(Object.create(null))), '(got an object)'],
  ])('shows %s', (_, value, shown) => {
    expect(unitsMessage(value)).toBe(`must be a finite number ≥ 0 ${shown}`);
  });

  it('shows a string of 60 characters whole, and cuts a longer one after 60, marking the cut', () => {
    const sixty = 'x'.repeat(60);
    expect(fieldRules.time(sixty)).toBe(`must be a finite number ≥ 0 and ≤ 8640000000000000 (got ${JSON.stringify(sixty)})`);
    expect(fieldRules.time(`${sixty}y`)).toBe(`must be a finite number ≥ 0 and ≤ 8640000000000000 (got ${JSON.stringify(`${sixty}…`)})`);
    expect(fieldRules.time('y'.repeat(100_000))).toHaveLength(`must be a finite number ≥ 0 and ≤ 8640000000000000 (got ${JSON.stringify(`${sixty}…`)})`.length);
  });
});

describe('a path in a message', () => {
  it.each<[(string | number)[], string]>([
    [[], '(root)'],
    [['capacity'], 'capacity'],
    [['defaultProfile', 'capacity'], 'defaultProfile.capacity'],
    [['presences', 0, 'base'], 'presences[0].base'],
    [[0], '[0]'],
    [['agents', 'agent-7', 'capacity'], 'agents["agent-7"].capacity'],
    [['agents', '7up'], 'agents["7up"]'],
    [['agents', 'a-b'], 'agents["a-b"]'],
    [['agents', '$_x9'], 'agents.$_x9'],
    [['agents', ''], 'agents[""]'],
    [['a b'], '["a b"]'],
    [['agents', 'a b', 'presenceIds', 0], 'agents["a b"].presenceIds[0]'],
  ])('renders %j as %s', (path, written) => {
    expect(formatPath(path)).toBe(written);
  });
});

describe('a list of problems', () => {
  const issues = [
    { path: ['units'], message: 'must be a finite number ≥ 0 (got -1)' },
    { path: [], message: 'an event must be an object (got null)' },
  ];

  it('is one line per problem, "- path: message", without a heading unless one is given', () => {
    expect(formatIssues(issues)).toBe('- units: must be a finite number ≥ 0 (got -1)\n- (root): an event must be an object (got null)');
    expect(formatIssues(issues, 'Invalid event')).toBe(`Invalid event:\n${formatIssues(issues)}`);
    expect(formatIssues(issues.slice(0, 1), 'Invalid event')).toBe(`Invalid event:\n${formatIssues(issues.slice(0, 1))}`);
  });

  it('heads the message of PresenceConfigError', () => {
    const error = new PresenceConfigError([{ path: ['defaultProfile', 'capacity'], message: 'must be a finite number ≥ 0 (got -1)' }]);
    expect(error.message).toBe('Invalid presence config:\n- defaultProfile.capacity: must be a finite number ≥ 0 (got -1)');
  });
});

describe('an event refused as INVALID_EVENT', () => {
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine({});
  });

  it('names each bad field with its problem, separated by semicolons', () => {
    const event = { type: 'workAssigned', workItemId: '', units: -1, at: 5 } as unknown as PresenceEvent;
    const { rejection } = machine.transition(machine.initialState('a1'), event);
    expect(rejection?.message).toBe(
      'Agent "a1": workItemId must be a non-empty string of ≤ 256 characters (got ""); units must be a finite number ≥ 0 (got -1)',
    );
  });

  it('names the type and every known type for an unknown one', () => {
    expect(validateEvent({ type: 'nap', at: 1 })).toEqual([
      {
        path: ['type'],
        message:
          'must be one of signIn, signOut, heartbeat, disconnected, activity, tick, setPresence, resetPresence, workAssigned, workReleased, wrapUpEnded, workMissed, workRejected (got "nap")',
      },
    ]);
  });
});

describe('a config problem', () => {
  const messageAt = (config: unknown, path: (string | number)[]) =>
    validateConfig(config).find((issue) => JSON.stringify(issue.path) === JSON.stringify(path))?.message;

  it.each<[string, unknown, (string | number)[], string]>([
    [
      'an unknown field, listing the known ones',
      { theme: 'dark' },
      ['theme'],
      'is not a known field (known: presences, defaultProfile, agents, capacityPresences)',
    ],
    ['presences that are not an array', { presences: {} }, ['presences'], 'must be an array (got an object)'],
    ['a presence that is not an object', { presences: [7] }, ['presences', 0], 'must be an object (got 7)'],
    ['a profile that is not an object', { defaultProfile: [] }, ['defaultProfile'], 'must be an object (got an array)'],
    ['presenceIds that are not an array', { defaultProfile: { presenceIds: 'away' } }, ['defaultProfile', 'presenceIds'], 'must be an array (got "away")'],
    ['capacity presences that are not an object', { capacityPresences: 3 }, ['capacityPresences'], 'must be an object (got 3)'],
    [
      'a description that is not a string, which may be empty (so "non-empty" is left out)',
      { presences: [{ id: 'p1', name: 'P1', base: 'Away', description: 5 }] },
      ['presences', 0, 'description'],
      'must be a string of ≤ 1000 characters (got 5)',
    ],
  ])('says what is wrong with %s', (_, config, path, message) => {
    expect(messageAt(config, path)).toBe(message);
  });

  it('is reported once: a presence whose id or base is wrong is not reported again where it is referenced or repeated', () => {
    const twiceBadId = {
      presences: [
        { id: 5, name: 'A', base: 'Away' },
        { id: 5, name: 'B', base: 'Away' },
      ],
    } as unknown as PresenceConfig;
    expect(validateConfig(twiceBadId).map((issue) => issue.path)).toEqual([
      ['presences', 0, 'id'],
      ['presences', 1, 'id'],
    ]);
    const badBase = { presences: [{ id: 'x', name: 'X', base: 'Lunch' }], capacityPresences: { full: 'x' } } as unknown as PresenceConfig;
    expect(validateConfig(badBase).map((issue) => issue.path)).toEqual([['presences', 0, 'base']]);
  });
});
