import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import type { PresenceConfig, PresenceEvent, PresenceMachine, PresenceState, RejectionCode } from '../../src/index';
import { run as runEvents } from '../helpers/run';

const config: PresenceConfig = {
  presences: [
    { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' },
    { id: 'busy-retired', name: 'Busy – Retired', base: 'Busy', active: false },
    { id: 'busy-backoffice', name: 'Busy – Back office', base: 'Busy' },
  ],
  agents: { 'agent-7': { presenceIds: ['away-training'] } },
};
let machine: PresenceMachine;
beforeEach(() => {
  machine = createPresenceMachine(config);
});

/** Lets a test hand the machine a value that is not a well-typed event, as untyped callers can. */
const raw = (value: unknown): PresenceEvent => value as PresenceEvent;

/** The state after setup events, each of which must be accepted. */
const run = (events: readonly PresenceEvent[], agentId = 'agent-7', on: PresenceMachine = machine): PresenceState => runEvents(on, agentId, events).state;

const signedOut = () => run([]);
const signedIn = () => run([{ type: 'signIn', at: 1_000 }]);
const holdingChat = () =>
  run([
    { type: 'signIn', at: 1_000 },
    { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 2_000 },
  ]);

/** Applies an event that must be refused with `code`, checks the refusal contract and returns the message. */
function refused(state: PresenceState, event: PresenceEvent, code: RejectionCode): string {
  const result = machine.transition(state, event);
  expect(result.rejection?.code).toBe(code);
  expect(result.changed).toBe(false);
  expect(result.state).toBe(state);
  expect(result.presence).toEqual(machine.presenceOf(state));
  return result.rejection?.message ?? '';
}

describe('setPresence refusals', () => {
  it('refuses a standard presence while signed out with NOT_SIGNED_IN', () => {
    const message = refused(signedOut(), { type: 'setPresence', presenceId: 'busy', at: 5 }, 'NOT_SIGNED_IN');
    expect(message).toBe('Agent "agent-7": cannot set presence "busy": not signed in');
  });

  it('refuses an id that no presence has with UNKNOWN_PRESENCE', () => {
    const message = refused(signedIn(), { type: 'setPresence', presenceId: 'lunch', at: 5_000 }, 'UNKNOWN_PRESENCE');
    expect(message).toBe('Agent "agent-7": cannot set presence "lunch": unknown; pick one of selectablePresences');
  });

  it('refuses a deactivated presence with PRESENCE_INACTIVE', () => {
    const everyone = run([{ type: 'signIn', at: 1_000 }], 'agent-1');
    const message = refused(everyone, { type: 'setPresence', presenceId: 'busy-retired', at: 5_000 }, 'PRESENCE_INACTIVE');
    expect(message).toBe('Agent "agent-1": cannot set presence "busy-retired": inactive; pick one of selectablePresences');
  });

  it('refuses an active custom presence outside the agent profile with PRESENCE_NOT_ALLOWED', () => {
    const message = refused(signedIn(), { type: 'setPresence', presenceId: 'busy-backoffice', at: 5_000 }, 'PRESENCE_NOT_ALLOWED');
    expect(message).toBe('Agent "agent-7": cannot set presence "busy-backoffice": not in the agent\'s profile; pick one of selectablePresences');
  });

  it('accepts the same agent picking a custom presence in the profile and any standard one', () => {
    for (const presenceId of ['away-training', 'busy-dnd', 'offline']) {
      const result = machine.transition(signedIn(), { type: 'setPresence', presenceId, at: 5_000 });
      expect(result.rejection).toBeUndefined();
      expect(result.state.presenceId).toBe(presenceId);
    }
  });

  it('checks sign-in before the presence id: an unknown id while signed out gives NOT_SIGNED_IN', () => {
    refused(signedOut(), { type: 'setPresence', presenceId: 'lunch', at: 5 }, 'NOT_SIGNED_IN');
    refused(signedOut(), { type: 'setPresence', presenceId: 'busy-retired', at: 5 }, 'NOT_SIGNED_IN');
    refused(signedOut(), { type: 'setPresence', presenceId: 'busy-backoffice', at: 5 }, 'NOT_SIGNED_IN');
  });

  it('checks activity before the profile: an inactive presence not in the profile gives PRESENCE_INACTIVE', () => {
    refused(signedIn(), { type: 'setPresence', presenceId: 'busy-retired', at: 5_000 }, 'PRESENCE_INACTIVE');
  });

  it('checks the event itself first: a malformed presence id while signed out gives INVALID_EVENT', () => {
    refused(signedOut(), { type: 'setPresence', presenceId: '', at: 5 }, 'INVALID_EVENT');
    refused(signedOut(), raw({ type: 'setPresence', presenceId: 'lunch', at: -5 }), 'INVALID_EVENT');
  });

  it('treats presence ids as case-sensitive', () => {
    refused(signedIn(), { type: 'setPresence', presenceId: 'Away', at: 5_000 }, 'UNKNOWN_PRESENCE');
  });
});

describe('work item refusals', () => {
  it('refuses assigning an item the agent already holds with DUPLICATE_WORK_ITEM', () => {
    const message = refused(holdingChat(), { type: 'workAssigned', workItemId: 'chat-1', units: 10, at: 3_000 }, 'DUPLICATE_WORK_ITEM');
    expect(message).toBe('Agent "agent-7": work item "chat-1" is already held');
  });

  it('refuses a duplicate assignment while signed out too', () => {
    const state = run([{ type: 'workAssigned', workItemId: 'case-1', units: 0, at: 10 }]);
    refused(state, { type: 'workAssigned', workItemId: 'case-1', units: 0, at: 20 }, 'DUPLICATE_WORK_ITEM');
  });

  it('refuses releasing an item the agent never held with UNKNOWN_WORK_ITEM', () => {
    const message = refused(holdingChat(), { type: 'workReleased', workItemId: 'chat-9', at: 3_000 }, 'UNKNOWN_WORK_ITEM');
    expect(message).toBe('Agent "agent-7": work item "chat-9" is not held');
  });

  it('refuses releasing an item a second time with UNKNOWN_WORK_ITEM', () => {
    const released = machine.transition(holdingChat(), { type: 'workReleased', workItemId: 'chat-1', at: 3_000 });
    expect(released.rejection).toBeUndefined();
    refused(released.state, { type: 'workReleased', workItemId: 'chat-1', at: 4_000 }, 'UNKNOWN_WORK_ITEM');
  });

  it('refuses ending the wrap-up of an item that is held but not in wrap-up, or not held, and says which', () => {
    const held = refused(holdingChat(), { type: 'wrapUpEnded', workItemId: 'chat-1', at: 3_000 }, 'UNKNOWN_WORK_ITEM');
    expect(held).toBe('Agent "agent-7": work item "chat-1" is not in wrap-up');
    const unknown = refused(holdingChat(), { type: 'wrapUpEnded', workItemId: 'chat-9', at: 3_000 }, 'UNKNOWN_WORK_ITEM');
    expect(unknown).toBe('Agent "agent-7": work item "chat-9" is not held');
  });

  it('keeps a manual Busy pick when a work event is refused', () => {
    const picked = machine.transition(holdingChat(), { type: 'setPresence', presenceId: 'available', at: 3_000 }).state;
    refused(picked, { type: 'workAssigned', workItemId: 'chat-1', units: 5, at: 4_000 }, 'DUPLICATE_WORK_ITEM');
    refused(picked, { type: 'workReleased', workItemId: 'chat-2', at: 4_000 }, 'UNKNOWN_WORK_ITEM');
    expect(picked.choice).toEqual({ presenceId: 'available', base: 'Available', source: 'manual' });
  });
});

describe('invalid events', () => {
  const cases: [string, unknown, string][] = [
    ['an unknown type', { type: 'dance', at: 1 }, '"dance"'],
    ['a type in the wrong case', { type: 'SignIn', at: 1 }, '"SignIn"'],
    ['a missing type', { at: 1 }, 'type'],
    ['a missing at', { type: 'signIn' }, 'at'],
    ['a missing presenceId', { type: 'setPresence', at: 1 }, 'presenceId'],
    ['a missing workItemId on assignment', { type: 'workAssigned', units: 1, at: 1 }, 'workItemId'],
    ['missing units', { type: 'workAssigned', workItemId: 'c1', at: 1 }, 'units'],
    ['a missing workItemId on release', { type: 'workReleased', at: 1 }, 'workItemId'],
    ['negative units', { type: 'workAssigned', workItemId: 'c1', units: -1, at: 1 }, '-1'],
    ['NaN units', { type: 'workAssigned', workItemId: 'c1', units: Number.NaN, at: 1 }, 'NaN'],
    ['infinite units', { type: 'workAssigned', workItemId: 'c1', units: Number.POSITIVE_INFINITY, at: 1 }, 'Infinity'],
    ['units given as a string', { type: 'workAssigned', workItemId: 'c1', units: '10', at: 1 }, '"10"'],
    ['a negative at', { type: 'signOut', at: -1 }, '-1'],
    ['a NaN at', { type: 'signIn', at: Number.NaN }, 'NaN'],
    ['an infinite at', { type: 'signIn', at: Number.POSITIVE_INFINITY }, 'Infinity'],
    ['a minus infinite at', { type: 'workReleased', workItemId: 'c1', at: Number.NEGATIVE_INFINITY }, '-Infinity'],
    ['an at given as a string', { type: 'signIn', at: '1000' }, '"1000"'],
    ['an empty presence id', { type: 'setPresence', presenceId: '', at: 1 }, 'presenceId'],
    ['a whitespace presence id', { type: 'setPresence', presenceId: '  \t', at: 1 }, 'presenceId'],
    [
      'a presence id over 256 characters',
      { type: 'setPresence', presenceId: 'p'.repeat(257), at: 1 },
      `presenceId must be a non-empty string of ≤ 256 characters (got "${'p'.repeat(60)}…")`,
    ],
    ['an empty work item id', { type: 'workAssigned', workItemId: '', units: 1, at: 1 }, 'workItemId'],
    ['a whitespace work item id', { type: 'workReleased', workItemId: ' ', at: 1 }, 'workItemId'],
    [
      'a work item id over 256 characters',
      { type: 'workAssigned', workItemId: 'w'.repeat(257), units: 1, at: 1 },
      `workItemId must be a non-empty string of ≤ 256 characters (got "${'w'.repeat(60)}…")`,
    ],
    ['a numeric work item id', { type: 'workReleased', workItemId: 7, at: 1 }, 'workItemId'],
  ];

  it.each(cases)('refuses %s with INVALID_EVENT and names it in the message', (_, event, named) => {
    for (const state of [signedOut(), signedIn(), holdingChat()]) {
      const message = refused(state, raw(event), 'INVALID_EVENT');
      expect(message).toMatch(/^Agent "agent-7": /);
      expect(message).toContain(named);
    }
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an empty array', []],
    ['an array holding an event', [{ type: 'signIn', at: 1 }]],
    ['a number', 42],
    ['a string', 'signIn'],
    ['a function', () => ({ type: 'signIn', at: 1 })],
    ['a Date', new Date(1)],
    [
      'a Map holding event fields',
      new Map<string, unknown>([
        ['type', 'signIn'],
        ['at', 1],
      ]),
    ],
  ])('refuses %s as an event without throwing', (_, event) => {
    const state = holdingChat();
    expect(() => machine.transition(state, raw(event))).not.toThrow();
    const message = refused(state, raw(event), 'INVALID_EVENT');
    expect(message).toMatch(/^Agent "agent-7": an event must be an object \(got /);
  });

  it('names the kind of object it refused', () => {
    expect(refused(holdingChat(), raw(new Date(1)), 'INVALID_EVENT')).toBe('Agent "agent-7": an event must be an object (got an instance of Date)');
  });

  it('names every bad field of one event in the message', () => {
    const message = refused(signedIn(), raw({ type: 'workAssigned', workItemId: '', units: -3, at: Number.NaN }), 'INVALID_EVENT');
    expect(message).toContain('workItemId');
    expect(message).toContain('units');
    expect(message).toContain('-3');
    expect(message).toContain('NaN');
  });

  it('accepts the boundaries: at 0, units 0 and ids of exactly 256 characters', () => {
    const fresh = signedOut();
    expect(machine.transition(fresh, { type: 'signIn', at: 0 }).rejection).toBeUndefined();
    const longId = 'w'.repeat(256);
    const assigned = machine.transition(fresh, { type: 'workAssigned', workItemId: longId, units: 0, at: 0 });
    expect(assigned.rejection).toBeUndefined();
    expect(assigned.state.work.map((item) => item.workItemId)).toEqual([longId]);
    const set = machine.transition(signedIn(), { type: 'setPresence', presenceId: 'p'.repeat(256), at: 5_000 });
    expect(set.rejection?.code).toBe('UNKNOWN_PRESENCE');
  });

  it('ignores unknown extra fields instead of refusing the event', () => {
    const result = machine.transition(signedOut(), raw({ type: 'signIn', at: 1_000, source: 'kiosk' }));
    expect(result.rejection).toBeUndefined();
    expect(result.state.signedIn).toBe(true);
  });

  it('names an agent whose id needs quoting exactly as JSON does', () => {
    const state = run([], 'agent "seven"');
    const message = refused(state, raw({ type: 'nope', at: 1 }), 'INVALID_EVENT');
    expect(message.startsWith(`Agent ${JSON.stringify('agent "seven"')}: `)).toBe(true);
  });
});

describe('repeats that are not refusals', () => {
  it('accepts signIn while signed in as a no-op without a rejection', () => {
    const state = signedIn();
    const result = machine.transition(state, { type: 'signIn', at: 9_000 });
    expect(result.rejection).toBeUndefined();
    expect(result.changed).toBe(false);
    expect(result.presence.presenceId).toBe(state.presenceId);
  });

  it('accepts signOut while signed out as a no-op without a rejection', () => {
    const state = signedOut();
    const result = machine.transition(state, { type: 'signOut', at: 9_000 });
    expect(result.rejection).toBeUndefined();
    expect(result.changed).toBe(false);
    expect(result.presence.presenceId).toBe('offline');
  });

  it('leaves the rejection field out of an accepted transition, rather than setting it to undefined', () => {
    const result = machine.transition(signedIn(), { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 2_000 });
    expect('rejection' in result).toBe(false);
    expect(Object.keys(result)).toEqual(['state', 'presence', 'changed']);
  });

  it('carries on normally after a refusal', () => {
    const state = holdingChat();
    const refusal = machine.transition(state, raw(null));
    const next = machine.transition(refusal.state, { type: 'workReleased', workItemId: 'chat-1', at: 3_000 });
    expect(next.rejection).toBeUndefined();
    expect(next.state.work).toEqual([]);
    expect(next.state.presenceId).toBe('available');
  });
});
