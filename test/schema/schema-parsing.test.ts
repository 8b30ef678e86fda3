import { describe, expect, it } from 'vitest';
import { createPresenceMachine, fieldRules, PresenceConfigError, validateConfig, validateEvent } from '../../src/index';
import type { PresenceEvent } from '../../src/index';
import {
  fieldSchema,
  parseConfig,
  parseEvent,
  presenceConfigSchema,
  presenceEventSchema,
  PresenceEventError,
  safeParseEvent,
  setPresenceEventSchema,
  signInEventSchema,
  signOutEventSchema,
  workAssignedEventSchema,
  workReleasedEventSchema,
} from '../../src/schema/index';

const events: PresenceEvent[] = [
  { type: 'signIn', at: 0 },
  { type: 'signOut', at: 1_700_000_000_000 },
  { type: 'setPresence', presenceId: 'away-training', at: 5 },
  { type: 'workAssigned', workItemId: 'chat-1', units: 0, at: 6 },
  { type: 'workReleased', workItemId: 'chat-1', at: 7 },
];

/** Inputs the machine refuses as INVALID_EVENT, each for a different reason. */
const badEvents: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['an array', [{ type: 'signIn', at: 1 }]],
  ['a string', 'signIn'],
  ['an object without a type', { at: 1 }],
  ['an unknown type', { type: 'dance', at: 1 }],
  ['a missing at', { type: 'signIn' }],
  ['a string at', { type: 'signOut', at: '1' }],
  ['a negative at', { type: 'signIn', at: -1 }],
  ['an infinite at', { type: 'signIn', at: Number.POSITIVE_INFINITY }],
  ['a missing presenceId', { type: 'setPresence', at: 1 }],
  ['a whitespace presenceId', { type: 'setPresence', presenceId: ' ', at: 1 }],
  ['a presenceId over 256 characters', { type: 'setPresence', presenceId: 'p'.repeat(257), at: 1 }],
  ['NaN units', { type: 'workAssigned', workItemId: 'c1', units: Number.NaN, at: 1 }],
  ['string units', { type: 'workAssigned', workItemId: 'c1', units: '4', at: 1 }],
  ['several bad fields', { type: 'workAssigned', workItemId: '', units: -1, at: Number.NaN }],
  ['an empty workItemId on release', { type: 'workReleased', workItemId: '', at: 1 }],
  [
    'a Map',
    new Map<string, unknown>([
      ['type', 'signIn'],
      ['at', 1],
    ]),
  ],
  ['a Date', new Date(0)],
  ['a boxed string', new String('signIn')],
  [
    'a class instance with the fields of an event',
    new (class SignIn {
      type = 'signIn';
      at = 1;
    })(),
  ],
  ['an object whose prototype is not a root prototype', Object.assign(Object.create({}), { type: 'signIn', at: 1 })],
];

describe('parseEvent', () => {
  it.each(events.map((event) => [event.type, event] as const))('returns a valid %s event', (_, event) => {
    expect(parseEvent(event)).toEqual(event);
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('drops fields the event type does not have', () => {
    expect(parseEvent({ type: 'signIn', at: 3, presenceId: 'away', source: 'kiosk' })).toEqual({ type: 'signIn', at: 3 });
  });

  it('throws a PresenceEventError whose issue names the path and whose message names the field', () => {
    const input = { type: 'workAssigned', workItemId: 'chat-1', units: -1, at: 0 };
    expect(() => parseEvent(input)).toThrow(PresenceEventError);
    try {
      parseEvent(input);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(PresenceEventError);
      if (!(error instanceof PresenceEventError)) throw error;
      expect(error.name).toBe('PresenceEventError');
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.path).toEqual(['units']);
      expect(error.message).toContain('units');
      expect(error.message).toContain('-1');
    }
  });

  it('names every bad field in one error', () => {
    const result = safeParseEvent({ type: 'workAssigned', workItemId: '', units: -1, at: Number.NaN });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((issue) => issue.path)).toEqual([['workItemId'], ['units'], ['at']]);
    expect(result.error.message.split('\n').map((line) => line.split(':')[0])).toEqual(['Invalid presence event', '- workItemId', '- units', '- at']);
  });

  it('reports a non-object input at the root', () => {
    const result = safeParseEvent(42);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues).toEqual([{ path: [], message: expect.stringMatching(/must be an object/) }]);
    expect(result.error.message).toContain('(root)');
  });
});

describe('safeParseEvent', () => {
  it('returns success with the event as data', () => {
    for (const event of events) expect(safeParseEvent(event)).toEqual({ success: true, data: event });
  });

  it.each(badEvents)('returns failure with a PresenceEventError for %s, without throwing', (_, input) => {
    expect(() => safeParseEvent(input)).not.toThrow();
    const result = safeParseEvent(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(Object.keys(result).sort()).toEqual(['error', 'success']);
    expect(result.error).toBeInstanceOf(PresenceEventError);
    expect(result.error.issues.length).toBeGreaterThan(0);
  });

  it.each(badEvents)('gives the same issues as the core validateEvent for %s', (_, input) => {
    const result = safeParseEvent(input);
    expect(result.success ? [] : result.error.issues).toEqual(validateEvent(input));
  });

  it.each(badEvents)('gives messages the machine uses when it refuses %s', (_, input) => {
    const machine = createPresenceMachine();
    const refusal = machine.transition(machine.initialState('agent-7'), input as PresenceEvent).rejection;
    expect(refusal?.code).toBe('INVALID_EVENT');
    const result = safeParseEvent(input);
    if (result.success) throw new Error('expected a failure');
    for (const issue of result.error.issues) expect(refusal?.message).toContain(issue.message);
  });

  it('lists a missing units where the core lists it, among the other fields, not after them', () => {
    const input = { type: 'workAssigned', workItemId: 'c1', at: '', eventId: null };
    const result = safeParseEvent(input);
    expect(result.success ? [] : result.error.issues.map((issue) => issue.path[0])).toEqual(['units', 'at', 'eventId']);
    expect(result.success ? [] : result.error.issues).toEqual(validateEvent(input));
  });

  it('accepts exactly what validateEvent accepts', () => {
    for (const event of events) expect(validateEvent(event)).toEqual([]);
    for (const [, input] of badEvents) expect(validateEvent(input)).not.toEqual([]);
  });
});

describe('per-type event schemas', () => {
  const schemas = [
    ['signIn', signInEventSchema],
    ['signOut', signOutEventSchema],
    ['setPresence', setPresenceEventSchema],
    ['workAssigned', workAssignedEventSchema],
    ['workReleased', workReleasedEventSchema],
  ] as const;

  it.each(schemas)('the %s schema accepts its own event and no other type', (type, schema) => {
    for (const event of events) {
      expect(schema.safeParse(event).success).toBe(event.type === type);
    }
  });

  it.each(schemas)('the %s schema reports a bad at with the core message', (type, schema) => {
    const event = events.find((e) => e.type === type);
    const input = { ...event, at: -5 };
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([[['at'], fieldRules.time(-5)]]);
  });

  it('the workAssigned schema reports bad units with the core message', () => {
    const result = workAssignedEventSchema.safeParse({ type: 'workAssigned', workItemId: 'c1', units: Number.NaN, at: 1 });
    expect(result.error?.issues[0]?.message).toBe(fieldRules.units(Number.NaN));
  });

  it('a schema of one type refuses an event of another type at type, naming both', () => {
    const result = signInEventSchema.safeParse({ type: 'signOut', at: 1 });
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([[['type'], 'must be signIn (got "signOut")']]);
  });

  it('the schemas drop fields their type does not have, as parseEvent does', () => {
    const input = { type: 'workAssigned', workItemId: 'c1', units: 4, at: 1, presenceId: 'away', extra: true };
    expect(workAssignedEventSchema.parse(input)).toEqual({ type: 'workAssigned', workItemId: 'c1', units: 4, at: 1 });
    expect(presenceEventSchema.parse(input)).toEqual(parseEvent(input));
  });

  it('the union schema agrees with parseEvent', () => {
    for (const event of events) expect(presenceEventSchema.parse(event)).toEqual(parseEvent(event));
    expect(presenceEventSchema.safeParse({ type: 'dance', at: 1 }).success).toBe(false);
  });

  it('fieldSchema reports the rule message it wraps', () => {
    const units = fieldSchema<number>(fieldRules.units);
    expect(units.safeParse(3).success).toBe(true);
    expect(units.safeParse(-1).error?.issues[0]?.message).toBe(fieldRules.units(-1));
  });
});

describe('parseConfig', () => {
  const config = {
    presences: [{ id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' }],
    defaultProfile: { capacity: 100 },
    agents: { 'agent-7': { defaultPresenceId: 'away', presenceIds: ['away-training'], capacity: 60, maxWorkItems: 3 } },
  };

  it('returns a valid config that createPresenceMachine accepts', () => {
    const parsed = parseConfig(JSON.parse(JSON.stringify(config)));
    expect(parsed).toEqual(config);
    expect(createPresenceMachine(parsed).profileOf('agent-7').capacity).toBe(60);
  });

  it('throws the core PresenceConfigError with the issues validateConfig gives', () => {
    const bad = { presences: [{ id: 'away', name: '', base: 'Lunch' }], defaultProfile: { capacity: -1 }, extra: true };
    expect(() => parseConfig(bad)).toThrow(PresenceConfigError);
    try {
      parseConfig(bad);
    } catch (error) {
      if (!(error instanceof PresenceConfigError)) throw error;
      expect(error.name).toBe('PresenceConfigError');
      expect(error.issues).toEqual(validateConfig(bad));
      expect(error.issues.length).toBe(5); // the unknown field, the empty name, the base, the clash with "away", the capacity
      expect(error.message.split('\n')).toHaveLength(1 + 5); // the heading and a line per problem
    }
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'config'],
  ])('refuses %s as a config with a root issue', (_, input) => {
    expect(() => parseConfig(input)).toThrow(PresenceConfigError);
    expect(presenceConfigSchema.safeParse(input).error?.issues.map((issue) => issue.path)).toEqual([[]]);
  });

  it('accepts and keeps an empty config', () => {
    expect(parseConfig({})).toEqual({});
  });

  it('keeps the profile of an agent whose id is "__proto__" from JSON input', () => {
    const input = JSON.parse('{"defaultProfile":{"capacity":100},"agents":{"__proto__":{"capacity":7,"maxWorkItems":2}}}');
    const parsed = parseConfig(input);
    expect(Object.keys(parsed.agents ?? {})).toEqual(['__proto__']);
    const machine = createPresenceMachine(parsed);
    expect(machine.profileOf('__proto__').capacity).toBe(7);
    expect(machine.profileOf('__proto__').maxWorkItems).toBe(2);
    expect(machine.profileOf('someone-else').capacity).toBe(100);
  });

  it('reports a bad profile of an agent whose id is "__proto__"', () => {
    const input = JSON.parse('{"agents":{"__proto__":{"capacity":-7,"defaultPresenceId":"nap"}}}');
    expect(() => parseConfig(input)).toThrow(PresenceConfigError);
    const issues = presenceConfigSchema.safeParse(input).error?.issues.map((issue) => issue.path);
    expect(issues).toEqual([
      ['agents', '__proto__', 'defaultPresenceId'],
      ['agents', '__proto__', 'capacity'],
    ]);
    expect(validateConfig(input).map((issue) => issue.path)).toEqual(issues);
  });
});
