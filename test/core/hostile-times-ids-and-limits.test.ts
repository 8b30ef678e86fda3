import { describe, expect, it } from 'vitest';
import {
  createPresenceMachine,
  MAX_DURATION_MS,
  MAX_HELD_ITEMS,
  MAX_SESSIONS,
  MAX_TIME,
  PresenceConfigError,
  readEvent,
  type PresenceEvent,
  type PresenceState,
} from '../../src/index';
import { restore, snapshot } from '../../src/schema/index';
import { presenceModel } from '../../src/testing/index';
import { assign, run, signIn } from '../helpers/run';

/** What a JSON store gives back: the state written as text and read again with every check. */
const throughJson = (state: PresenceState) => restore(JSON.parse(JSON.stringify(snapshot(state))));

describe('times and durations', () => {
  const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
  const held = run(machine, 'a1', [signIn(0), assign('c1', 10, 1)]).state;

  it('refuse an event time a Date cannot hold, and a duration past a year', () => {
    const overflow = machine.transition(held, { type: 'workReleased', workItemId: 'c1', wrapUpMs: 1e308, at: 1e308 });
    expect(overflow.rejection?.code).toBe('INVALID_EVENT');
    expect(overflow.rejection?.message).toContain('wrapUpMs must be a finite number ≥ 0 and ≤ 31536000000 (got 1e+308)');
    expect(overflow.rejection?.message).toContain('at must be a finite number ≥ 0 and ≤ 8640000000000000 (got 1e+308)');
    expect(overflow.state).toBe(held);
    expect(machine.transition(held, { type: 'tick', at: MAX_TIME + 1 }).rejection?.code).toBe('INVALID_EVENT');
    expect(machine.transition(held, { type: 'tick', at: MAX_TIME }).rejection).toBeUndefined();
  });

  it('hold a deadline that would fall past the last valid time at that time, so the state survives a JSON store', () => {
    const late = machine.transition(held, { type: 'workReleased', workItemId: 'c1', wrapUpMs: MAX_DURATION_MS, at: MAX_TIME - 1 });
    expect(late.rejection).toBeUndefined();
    expect(late.state.work[0]?.wrapUpUntil).toBe(MAX_TIME);
    expect(late.nextDeadline).toBe(MAX_TIME);
    expect(throughJson(late.state)).toEqual(late.state);
    const ended = machine.transition(late.state, { type: 'tick', at: MAX_TIME });
    expect(ended.rejection).toBeUndefined();
    expect(ended.state.work).toEqual([]);
  });

  it('hold session, idle and reconnect deadlines within the valid times too', () => {
    const timed = createPresenceMachine({ defaultProfile: { sessionTtlMs: MAX_DURATION_MS, idleAfterMs: MAX_DURATION_MS, reconnectGraceMs: MAX_DURATION_MS } });
    const signedIn = timed.transition(timed.initialState('a1'), { type: 'signIn', sessionId: 's1', at: MAX_TIME - 10 });
    expect(signedIn.nextDeadline).toBe(MAX_TIME);
    const dropped = timed.transition(signedIn.state, { type: 'disconnected', sessionId: 's1', at: MAX_TIME - 5 });
    expect(dropped.state.reconnect?.until).toBe(MAX_TIME);
    expect(throughJson(dropped.state)).toEqual(dropped.state);
  });

  it('refuse a config duration past a year, naming the field', () => {
    for (const field of ['reconnectGraceMs', 'sessionTtlMs', 'idleAfterMs', 'wrapUpMs'] as const) {
      const make = () => createPresenceMachine({ defaultProfile: { [field]: 1e308 } });
      expect(make).toThrow(PresenceConfigError);
      expect(make).toThrow(`defaultProfile.${field}: must be a finite number`);
    }
  });
});

describe('ids', () => {
  const machine = createPresenceMachine({
    presences: [{ id: 'away-\u{1F600}', name: 'Away 😀', base: 'Away' }],
    defaultProfile: { capacityProfiles: { chat: { maxItems: 2 } } },
  });
  const state = run(machine, 'a1', [signIn(0)]).state;
  const lone = ['x\uD800', 'x\uDC00', '\uDFFFx', 'a\uD83Db'];

  it('refuse a lone surrogate in every id of an event, with the usual message', () => {
    for (const id of lone) {
      const events: PresenceEvent[] = [
        { type: 'signIn', sessionId: id, at: 1 },
        { type: 'setPresence', presenceId: id, at: 1 },
        { type: 'workAssigned', workItemId: id, units: 1, at: 1 },
        { type: 'workAssigned', workItemId: 'c1', profile: id, at: 1 },
        { type: 'tick', eventId: id, at: 1 },
      ];
      for (const event of events) {
        const result = machine.transition(state, event);
        expect(result.rejection?.code, JSON.stringify(event)).toBe('INVALID_EVENT');
        expect(result.rejection?.message).toContain('must not hold a lone surrogate');
        expect(result.state).toBe(state);
      }
    }
  });

  it('refuse a lone surrogate in an agent id, a config id or a profile name', () => {
    expect(() => machine.initialState('agent-\uD800')).toThrow(TypeError);
    expect(() => createPresenceMachine({ presences: [{ id: 'p\uDC00', name: 'P', base: 'Away' }] })).toThrow('presences[0].id: must not hold a lone surrogate');
    expect(() => createPresenceMachine({ agents: { 'a\uD800': {} } })).toThrow(PresenceConfigError);
    expect(() => createPresenceMachine({ defaultProfile: { capacityProfiles: { 'c\uD800': { maxItems: 1 } } } })).toThrow(PresenceConfigError);
  });

  it('accept well-formed ids, astral characters and U+FFFD included', () => {
    for (const id of ['agent-\uFFFD', 'agent-\u{1F600}', 'agent-\uD83D\uDE00']) {
      expect(machine.initialState(id).agentId).toBe(id);
      expect(machine.transition(state, { type: 'workAssigned', workItemId: id, units: 1, at: 1 }).rejection).toBeUndefined();
    }
    expect(machine.transition(state, { type: 'setPresence', presenceId: 'away-\u{1F600}', at: 1 }).presence.text).toBe('Away 😀');
  });
});

describe('events read once', () => {
  const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
  const state = run(machine, 'a1', [signIn(0)]).state;
  /** A field that shows `first` to its first reader and `then` to every later one. */
  const shifting = <T>(event: Record<string, unknown>, field: string, first: T, then: T) => {
    let reads = 0;
    Object.defineProperty(event, field, { enumerable: true, get: () => (reads++ === 0 ? first : then) });
    return event;
  };

  it('apply the value that was checked, whatever a getter returns afterwards', () => {
    const units = shifting({ type: 'workAssigned', workItemId: 'c1', at: 5 }, 'units', 30, -Infinity);
    const assigned = machine.transition(state, units as unknown as PresenceEvent);
    expect(assigned.rejection).toBeUndefined();
    expect(assigned.state.work).toEqual([{ workItemId: 'c1', units: 30, since: 5 }]);
    const at = shifting({ type: 'activity' }, 'at', 7, Number.NaN);
    const active = machine.transition(state, at as unknown as PresenceEvent);
    expect(active.state.lastAt).toBe(7);
    expect(active.state.lastActivity).toBe(7);
  });

  it('refuse an event whose getter throws, naming the field, without throwing', () => {
    const event = { type: 'workAssigned', workItemId: 'c1', at: 5 };
    Object.defineProperty(event, 'units', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const result = machine.transition(state, event as unknown as PresenceEvent);
    expect(result.rejection).toEqual({ code: 'INVALID_EVENT', message: 'Agent "a1": units could not be read (a getter or proxy threw)' });
    const proxy = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('trap');
        },
      },
    );
    expect(readEvent(proxy).issues).toEqual([{ path: [], message: 'could not be read (a getter or proxy threw)' }]);
  });

  it('name a throwing first field once: as unreadable, not also as a bad value', () => {
    const tick = { type: 'tick' };
    Object.defineProperty(tick, 'at', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(readEvent(tick).issues).toEqual([{ path: ['at'], message: 'could not be read (a getter or proxy threw)' }]);
  });

  it('leave fields it does not know out of the copy', () => {
    expect(readEvent({ type: 'tick', at: 1, extra: 'x' }).event).toEqual({ type: 'tick', at: 1 });
  });

  it('read a config once: a getter cannot pass the check and then break the state', () => {
    let reads = 0;
    const profile = {};
    Object.defineProperty(profile, 'wrapUpMs', { enumerable: true, get: () => (reads++ === 0 ? 1_000 : Number.NaN) });
    const tricky = createPresenceMachine({ defaultProfile: profile });
    const released = run(tricky, 'a1', [signIn(0), assign('c1', 10, 1), { type: 'workReleased', workItemId: 'c1', at: 2 }]);
    expect(released.state.work[0]?.wrapUpUntil).toBe(1_002);
    const throwing = {};
    Object.defineProperty(throwing, 'capacity', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(() => createPresenceMachine({ defaultProfile: throwing })).toThrow(PresenceConfigError);
    expect(() => createPresenceMachine({ defaultProfile: throwing })).toThrow('- (root): could not be read (a getter or proxy threw)');
  });

  it('read a config that loops back on itself without looping, and name the field that does', () => {
    const loop: Record<string, unknown> = { maxItems: 1 };
    loop.self = loop;
    const make = () => createPresenceMachine({ defaultProfile: { capacityProfiles: { chat: loop as never } } });
    expect(make).toThrow(PresenceConfigError);
    expect(make).toThrow('defaultProfile.capacityProfiles.chat.self: is not a known field');
  });

  it('read a config whose array holds itself without looping', () => {
    const loop: unknown[] = [];
    loop.push(loop);
    const make = () => createPresenceMachine({ presences: loop as never });
    expect(make).toThrow(PresenceConfigError);
    expect(make).toThrow('presences[0]: must be an object (got an array)');
  });

  it('name a getter of `type` that throws, and a missing field beside it', () => {
    const event = { at: 1 };
    Object.defineProperty(event, 'type', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(readEvent(event).issues).toEqual([{ path: ['type'], message: 'could not be read (a getter or proxy threw)' }]);
    expect(readEvent({ type: 'tick' }).issues).toEqual([{ path: ['at'], message: 'must be a finite number ≥ 0 and ≤ 8640000000000000 (got undefined)' }]);
    const noUnits = { type: 'workAssigned', workItemId: 'c1', at: 1 };
    Object.defineProperty(noUnits, 'profile', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    // The profile could not be read, so units are required, and missing: both are named.
    expect(readEvent(noUnits).issues?.map((issue) => issue.path)).toEqual([['profile'], ['units']]);
  });
});

describe('limits per agent', () => {
  it('refuse one session more than maxSessions, and take a known session signing in again', () => {
    const machine = createPresenceMachine({ defaultProfile: { maxSessions: 2 } });
    const two = run(machine, 'a1', [
      { type: 'signIn', sessionId: 's1', at: 1 },
      { type: 'signIn', sessionId: 's2', at: 2 },
    ]).state;
    const third = machine.transition(two, { type: 'signIn', sessionId: 's3', at: 3 });
    expect(third.rejection?.code).toBe('TOO_MANY_SESSIONS');
    expect(third.rejection?.message).toBe('Agent "a1": session "s3" would be one more than 2: sign one out first');
    expect(third.state).toBe(two);
    expect(machine.transition(two, { type: 'signIn', sessionId: 's1', at: 3 }).rejection).toBeUndefined();
  });

  it('refuse one item more than maxHeldItems, wrap-ups counted', () => {
    const machine = createPresenceMachine({ defaultProfile: { maxHeldItems: 2, wrapUpMs: 60_000 } });
    const two = run(machine, 'a1', [signIn(0), assign('c1', 1, 1), assign('c2', 1, 2), { type: 'workReleased', workItemId: 'c1', at: 3 }]).state;
    const third = machine.transition(two, { type: 'workAssigned', workItemId: 'c3', units: 1, at: 4 });
    expect(third.rejection?.code).toBe('TOO_MANY_WORK_ITEMS');
    expect(third.rejection?.message).toBe('Agent "a1": work item "c3" would be one more than 2 held: release some first');
  });

  it('default to 64 sessions and 1,000 items, the most a profile may set', () => {
    expect([MAX_SESSIONS, MAX_HELD_ITEMS]).toEqual([64, 1_000]);
    const machine = createPresenceMachine({});
    expect(machine.profileOf('a1')).toMatchObject({ maxSessions: 64, maxHeldItems: 1_000 });
    expect(() => createPresenceMachine({ defaultProfile: { maxSessions: 65 } })).toThrow(
      'defaultProfile.maxSessions: must be a whole number ≥ 1 and ≤ 64 (got 65)',
    );
    expect(() => createPresenceMachine({ defaultProfile: { maxHeldItems: 1_001 } })).toThrow(
      'defaultProfile.maxHeldItems: must be a whole number ≥ 1 and ≤ 1000 (got 1001)',
    );
    expect(createPresenceMachine({ defaultProfile: { maxSessions: 64, maxHeldItems: 1_000 } }).profileOf('a1')).toMatchObject({
      maxSessions: 64,
      maxHeldItems: 1_000,
    });
    let state = run(machine, 'a1', [signIn(0)]).state;
    for (let i = 0; i < MAX_HELD_ITEMS; i++) state = run(machine, state, [assign(`c${i}`, 0, 1)]).state;
    expect(machine.transition(state, assign('one-more', 0, 2)).rejection?.code).toBe('TOO_MANY_WORK_ITEMS');
  });

  it('are enforced by restore too: a stored state past them is not read', () => {
    const machine = createPresenceMachine({});
    const base = machine.initialState('a1');
    const sessions = Array.from({ length: MAX_SESSIONS + 1 }, (_, i) => ({ sessionId: `s${i}`, lastSeen: 0 }));
    expect(() => restore(snapshot({ ...base, signedIn: true, sessions }))).toThrow('state.sessions');
    const work = Array.from({ length: MAX_HELD_ITEMS + 1 }, (_, i) => ({ workItemId: `c${i}`, units: 0, since: 0 }));
    expect(() => restore(snapshot({ ...base, work }))).toThrow('state.work');
  });
});

describe('one event passing many deadlines', () => {
  it('applies hundreds of wrap-ups that end one after another as the reference model does, each at its own time', () => {
    const config = { defaultProfile: { capacity: 500, sessionTtlMs: 600_000, idleAfterMs: 400_000, wrapUpPresenceId: 'busy' } };
    const machine = createPresenceMachine(config);
    const model = presenceModel(config);
    let state = run(machine, 'a1', [signIn(0)]).state;
    let expected = model.transition(model.initialState('a1'), signIn(0)).state;
    const events: PresenceEvent[] = [];
    // 300, not the limit of 1,000: the model recounts every item at each deadline, O(n²) on purpose (it is the plain rule).
    for (let i = 0; i < 300; i++)
      events.push(assign(`c${i}`, 1, 1), { type: 'workReleased', workItemId: `c${i}`, wrapUpMs: 1_000 + ((i * 7_919) % 997) * 300, at: 2 });
    for (const event of events) {
      state = machine.transition(state, event).state;
      expected = model.transition(expected, event).state;
    }
    const passed = machine.transition(state, { type: 'activity', at: 700_000 });
    const modelled = model.transition(expected, { type: 'activity', at: 700_000 });
    expect(passed.state).toEqual(modelled.state);
    expect(passed.presence).toEqual(modelled.presence);
    expect(passed.state).toMatchObject({ signedIn: false, source: 'expired', work: [] });
  });
});
