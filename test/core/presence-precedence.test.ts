import { describe, expect, it } from 'vitest';
import { createPresenceMachine, validateConfig, type PresenceEvent } from '../../src/index';
import { assign, pick, run, signIn, signOut } from '../helpers/run';

/**
 * Offline when signed out > system presence (missed/rejected) > sticky manual > idle > wrap-up presence >
 * manual Available/Busy until the next work event > capacity.
 */
describe('the precedence of presences', () => {
  const machine = createPresenceMachine({
    presences: [{ id: 'busy-wrap-up', name: 'Busy – Wrap up', base: 'Busy', selectable: false }],
    defaultProfile: { idleAfterMs: 100_000, wrapUpMs: 1_000_000, wrapUpPresenceId: 'busy-wrap-up', onMissed: 'inactive' },
  });
  const tick = (at: number): PresenceEvent => ({ type: 'tick', at });

  it('peels off one layer at a time, each with its source', () => {
    // capacity < manual Available
    const held = run(machine, 'a1', [signIn(0), assign('c1', 30, 1), assign('c2', 30, 2)]);
    expect(held.presence).toMatchObject({ presenceId: 'busy', source: 'capacity' });
    const manual = run(machine, held.state, [pick('available', 3)]);
    expect(manual.presence).toMatchObject({ presenceId: 'available', source: 'manual' });
    // manual Available < wrap-up: the release is a work event, and the item wraps up
    const wrapping = run(machine, manual.state, [{ type: 'workReleased', workItemId: 'c1', at: 4 }, pick('available', 5)]);
    expect(wrapping.presence).toMatchObject({ presenceId: 'busy-wrap-up', source: 'wrapUp' });
    // wrap-up < idle
    const idle = run(machine, wrapping.state, [tick(100_005)]);
    expect(idle.presence).toMatchObject({ presenceId: 'away', source: 'idle' });
    // idle < sticky manual (a pick is activity too, so check the order with a sticky default instead)
    const stickyDefault = createPresenceMachine({ defaultProfile: { defaultPresenceId: 'busy-dnd', idleAfterMs: 10, onMissed: 'inactive' } });
    expect(run(stickyDefault, 'a1', [signIn(0), tick(1_000)]).presence).toMatchObject({ presenceId: 'busy-dnd', source: 'default' });
    // sticky manual < system
    const sticky = run(machine, idle.state, [pick('busy-dnd', 100_006)]);
    expect(sticky.presence).toMatchObject({ presenceId: 'busy-dnd', source: 'manual' });
    const system = run(machine, sticky.state, [{ type: 'workMissed', at: 100_007 }]);
    expect(system.presence).toMatchObject({ presenceId: 'inactive', source: 'missed' });
    // system < signed out
    expect(run(machine, system.state, [signOut(100_008)]).presence).toMatchObject({ presenceId: 'offline', source: 'signOut' });
  });
});

describe('config of sessions, timers and system presences', () => {
  it('is checked field by field, naming the path and the problem', () => {
    expect(
      validateConfig({
        presences: [{ id: 'x', name: 'X', base: 'Away', selectable: 'no' }],
        defaultProfile: {
          sessionTtlMs: 0,
          reconnectGraceMs: -1,
          idleAfterMs: Number.POSITIVE_INFINITY,
          wrapUpMs: '30s',
          idlePresenceId: 'nope',
          wrapUpPresenceId: 'lunch',
          onMissed: 42,
          onRejected: 'inactive',
        },
      }),
    ).toEqual([
      { path: ['presences', 0, 'selectable'], message: 'must be true or false (got "no")' },
      { path: ['defaultProfile', 'idlePresenceId'], message: 'names no known presence (got "nope")' },
      { path: ['defaultProfile', 'wrapUpPresenceId'], message: 'names no known presence (got "lunch")' },
      { path: ['defaultProfile', 'onMissed'], message: 'must be a non-empty string of ≤ 256 characters (got 42)' },
      { path: ['defaultProfile', 'sessionTtlMs'], message: 'must be a finite number > 0 and ≤ 31536000000 (got 0)' },
      { path: ['defaultProfile', 'reconnectGraceMs'], message: 'must be a finite number ≥ 0 and ≤ 31536000000 (got -1)' },
      { path: ['defaultProfile', 'idleAfterMs'], message: 'must be a finite number > 0 and ≤ 31536000000 (got Infinity)' },
      { path: ['defaultProfile', 'wrapUpMs'], message: 'must be a finite number ≥ 0 and ≤ 31536000000 (got "30s")' },
    ]);
  });

  it('refuses an inactive presence for a rule to set', () => {
    expect(validateConfig({ presences: [{ id: 'old', name: 'Old', base: 'Away', active: false }], agents: { a1: { onMissed: 'old' } } })).toEqual([
      { path: ['agents', 'a1', 'onMissed'], message: 'names an inactive presence (got "old")' },
    ]);
  });

  it('settles per agent, field by field, with the documented defaults', () => {
    const machine = createPresenceMachine({ defaultProfile: { sessionTtlMs: 60_000, onMissed: 'inactive' }, agents: { a1: { idleAfterMs: 5_000 } } });
    expect(machine.profileOf('a1')).toMatchObject({
      sessionTtlMs: 60_000,
      reconnectGraceMs: 150_000,
      idleAfterMs: 5_000,
      idlePresenceId: 'away',
      wrapUpMs: 0,
      wrapUpPresenceId: undefined,
      onMissed: 'inactive',
      onRejected: undefined,
    });
  });
});
