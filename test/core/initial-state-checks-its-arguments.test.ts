import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import type { PresenceMachine } from '../../src/index';

/** initialState is called by the host's own code: a malformed agent id or time is a programming error, thrown. */

describe('initialState', () => {
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine({});
  });

  it.each(['', '   ', 'x'.repeat(257), 7 as unknown as string])('throws a TypeError naming the agentId for %j', (agentId) => {
    expect(() => machine.initialState(agentId)).toThrow(
      new TypeError(
        `initialState: agentId must be a non-empty string of ≤ 256 characters (got ${typeof agentId === 'string' ? JSON.stringify(agentId.length > 60 ? `${agentId.slice(0, 60)}…` : agentId) : agentId})`,
      ),
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('throws a TypeError naming the time for %s', (at) => {
    expect(() => machine.initialState('a1', at)).toThrow(new TypeError(`initialState: at must be a finite number ≥ 0 and ≤ 8640000000000000 (got ${at})`));
  });

  it('starts at 0, never at -0, so a JSON copy equals the state', () => {
    const state = machine.initialState('a1', -0);
    expect(Object.is(state.since, 0) && Object.is(state.lastAt, 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
  });
});
