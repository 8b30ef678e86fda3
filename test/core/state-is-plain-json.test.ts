import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine, EVENT_TYPES } from '../../src/index';
import type { PresenceEvent, PresenceMachine, PresenceState, Transition } from '../../src/index';
import { scenarioArb } from '../helpers/scenarioArb';

/**
 * Where `value` is not plain JSON: anything but plain objects, arrays, strings, finite numbers, booleans and null,
 * including undefined values, holes, accessors, symbol keys and objects whose prototype is not Object.prototype.
 */
function notPlainJson(value: unknown, path = '(root)'): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} is the number ${value}`];
  if (typeof value !== 'object') return [`${path} is ${typeof value}`];
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return [`${path} is an array of another prototype`];
    const problems: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) problems.push(`${path}[${i}] is a hole`);
      else problems.push(...notPlainJson(value[i], `${path}[${i}]`));
    }
    return problems;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return [`${path} is not a plain object`];
  if (Object.getOwnPropertySymbols(value).length > 0) return [`${path} has symbol keys`];
  return Object.entries(Object.getOwnPropertyDescriptors(value)).flatMap(([key, descriptor]) => {
    if (!('value' in descriptor)) return [`${path}.${key} is an accessor`];
    if (!descriptor.enumerable) return [`${path}.${key} is not enumerable`];
    return notPlainJson(descriptor.value, `${path}.${key}`);
  });
}

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value));

let machine: PresenceMachine;
beforeEach(() => {
  machine = createPresenceMachine({
    presences: [
      { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' },
      { id: 'busy-callback', name: 'Busy – Callbacks', base: 'Busy' },
    ],
    defaultProfile: { capacity: 100 },
    agents: {
      'agent-7': {
        defaultPresenceId: 'away',
        presenceIds: ['away-training'],
        capacity: 60,
        maxWorkItems: 3,
        sessionTtlMs: 60_000,
        idleAfterMs: 30_000,
        wrapUpMs: 1_000,
        onMissed: 'inactive',
        onRejected: 'busy-dnd',
      },
    },
  });
});

/** An agent's day that goes through every event type, a late event and a refusal. */
const DAY: readonly PresenceEvent[] = [
  { type: 'workAssigned', workItemId: 'case-1', units: 10, at: 500 },
  { type: 'signIn', at: 1_000 },
  { type: 'setPresence', presenceId: 'busy', at: 2_000 },
  { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 3_000 },
  { type: 'workAssigned', workItemId: 'chat-2', units: 0, at: 2_500 },
  { type: 'setPresence', presenceId: 'away-training', at: 4_000 },
  { type: 'workReleased', workItemId: 'chat-1', at: 5_000 },
  { type: 'workReleased', workItemId: 'never-held', at: 5_500 },
  { type: 'signOut', at: 6_000 },
  { type: 'workReleased', workItemId: 'case-1', at: 7_000 },
  { type: 'signIn', at: 8_000, sessionId: 'tab-1' },
  { type: 'signIn', at: 8_100, sessionId: 'tab-2' },
  { type: 'heartbeat', at: 8_200, sessionId: 'tab-1' },
  { type: 'heartbeat', at: 8_300, sessionId: 'tab-9' },
  { type: 'workAssigned', workItemId: 'chat-3', units: 20, at: 8_400 },
  { type: 'setPresence', presenceId: 'away-training', when: 'afterWork', at: 8_450 },
  { type: 'workReleased', workItemId: 'chat-3', at: 8_500, wrapUpMs: 5_000 },
  { type: 'wrapUpEnded', workItemId: 'chat-3', at: 9_000 },
  { type: 'resetPresence', at: 9_100 },
  { type: 'workMissed', workItemId: 'chat-4', at: 9_200 },
  { type: 'activity', at: 9_300 },
  { type: 'workRejected', at: 9_400 },
  { type: 'disconnected', at: 9_500, sessionId: 'tab-2' },
  { type: 'resetPresence', at: 9_600 },
  { type: 'tick', at: 60_000 },
  { type: 'disconnected', at: 60_100, sessionId: 'tab-1' },
  { type: 'signIn', at: 60_200 },
  { type: 'signOut', at: 70_000 },
];

/** Every state of the day, each with the event that produced it and the transition. */
function runDay(agentId: string): { event: PresenceEvent; result: Transition; index: number }[] {
  let state = machine.initialState(agentId, 100);
  return DAY.map((event, index) => {
    const result = machine.transition(state, event);
    state = result.state;
    return { event, result, index };
  });
}

const replayFrom = (state: PresenceState, events: readonly PresenceEvent[]) => {
  let current = state;
  return events.map((event) => {
    const result = machine.transition(current, event);
    current = result.state;
    return result;
  });
};

describe('the plain-JSON check itself', () => {
  it('accepts plain objects, arrays, strings, finite numbers, booleans and null', () => {
    expect(notPlainJson({ a: [1, 'x', true, null, { b: -0.5 }], c: {} })).toEqual([]);
  });

  it.each([
    ['an undefined value', { a: undefined }],
    ['NaN', { a: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a Date', { a: new Date(0) }],
    ['a Map', new Map()],
    ['a class instance', new (class Point {})()],
    ['a prototype-less object', Object.create(null)],
    ['a getter', Object.defineProperty({}, 'a', { get: () => 1, enumerable: true })],
    // eslint-disable-next-line no-sparse-arrays -- a hole in an array is the very case under test
    ['a hole', [1, , 3]],
    ['a symbol key', { [Symbol('s')]: 1 }],
    ['a function', { a: () => 1 }],
  ])('flags %s', (_, value) => {
    expect(notPlainJson(value)).not.toEqual([]);
  });
});

describe('presence state as plain JSON', () => {
  it('starts as plain JSON that a JSON round trip leaves equal', () => {
    const state = machine.initialState('agent-7', 100);
    expect(notPlainJson(state)).toEqual([]);
    expect(roundTrip(state)).toEqual(state);
  });

  it.each(EVENT_TYPES)('stays plain JSON through %s events, and the JSON copy continues identically', (type) => {
    for (const agentId of ['agent-7', 'agent-without-profile']) {
      const reached = runDay(agentId).filter(({ event, result }) => event.type === type && result.rejection === undefined);
      expect(reached.length, `${agentId}: accepted ${type} events in the day`).toBeGreaterThan(0);
      for (const { result, index } of reached) {
        expect(notPlainJson(result.state), `${agentId} after event ${index}`).toEqual([]);
        expect(roundTrip(result.state)).toEqual(result.state);
        const rest = DAY.slice(index + 1);
        expect(replayFrom(roundTrip(result.state), rest)).toEqual(replayFrom(result.state, rest));
      }
    }
  });

  it('holds no -0, which a JSON copy would turn into 0, even when events carry -0', () => {
    let state = machine.initialState('agent-7', -0);
    for (const event of [
      { type: 'signIn', at: -0 },
      { type: 'workAssigned', workItemId: 'chat-1', units: -0, at: -0 },
    ] as const) {
      state = machine.transition(state, event).state;
    }
    expect(roundTrip(state)).toStrictEqual(state); // toStrictEqual tells -0 from 0
    expect(Object.is(state.since, 0) && Object.is(state.lastAt, 0) && Object.is(state.work[0]?.units, 0)).toBe(true);
  });

  it('holds no -0 after a state and an event read from JSON that writes zero as -0.0 (as Python does)', () => {
    const text = JSON.stringify(machine.initialState('agent-7')).replace(/:0([,}])/g, ':-0.0$1');
    const stored = JSON.parse(text) as PresenceState;
    expect(Object.is(stored.lastAt, -0)).toBe(true);
    const { state } = machine.transition(stored, JSON.parse('{"type":"signIn","at":-0.0}') as PresenceEvent);
    expect(roundTrip(state)).toStrictEqual(state); // toStrictEqual tells -0 from 0
    expect(Object.is(state.lastAt, 0) && Object.is(state.since, 0) && Object.is(state.lastActivity, 0)).toBe(true);
  });

  it('covers a sticky default, a manual pick, held work, a late event and a refusal on the way', () => {
    const day = runDay('agent-7');
    const states = day.map(({ result }) => result.state);
    expect(states.some((s) => s.choice?.source === 'default')).toBe(true);
    expect(states.some((s) => s.choice?.source === 'manual')).toBe(true);
    expect(states.some((s) => s.work.length > 1)).toBe(true);
    expect(day.some(({ result }) => result.late !== undefined)).toBe(true);
    expect(day.some(({ result }) => result.rejection !== undefined)).toBe(true);
  });

  it('is plain JSON after every event of random scenarios', () => {
    fc.assert(
      fc.property(scenarioArb, ({ config, agentId, start, events }) => {
        const random = createPresenceMachine(config);
        let state = random.initialState(agentId, start);
        for (const event of events) {
          state = random.transition(state, event).state;
          expect(notPlainJson(state)).toEqual([]);
          expect(roundTrip(state)).toEqual(state);
        }
      }),
      { numRuns: 100 },
    );
  });
});
