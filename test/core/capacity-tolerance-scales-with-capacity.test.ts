import { describe, expect, it } from 'vitest';
import { canTakeWork, capacityLevel, createPresenceMachine, measureCapacity } from '../../src/index';
import { assign, run, signIn } from '../helpers/run';

/**
 * Units are compared with the capacity with a slack of a billionth of the capacity (at least a billionth of a
 * unit), so that fractional units adding up with rounding error cannot hide a full agent; anything further
 * below the capacity is partial.
 */

const holding = (...units: number[]) => units.map((u, i) => ({ workItemId: `w${i}`, units: u, since: 0 }));
const level = (capacity: number, ...units: number[]) => capacityLevel(holding(...units), { capacity, maxWorkItems: undefined });

describe('the capacity tolerance', () => {
  it('counts units exactly a billionth of the capacity short as full, and a little more short as partial', () => {
    expect(level(1_000, 999.999999)).toBe('full');
    expect(level(1_000, 999.99999)).toBe('partial');
  });

  it('grows with a large capacity: a thousandth of a unit short of a million is full', () => {
    expect(level(1_000_000, 999_999.999)).toBe('full');
    expect(level(1_000_000, 999_999.99)).toBe('partial');
  });

  it('is a billionth of a unit for a capacity below one', () => {
    expect(level(0.5, 0.5 - 1e-9)).toBe('full');
    expect(level(0.5, 0.5 - 1e-8)).toBe('partial');
  });

  it('never makes an agent full by the item limit when there is none', () => {
    expect(capacityLevel(holding(1, 1, 1, 1, 1), { capacity: 100, maxWorkItems: undefined })).toBe('partial');
    expect(capacityLevel(holding(1, 1), { capacity: 100, maxWorkItems: 2 })).toBe('full');
  });
});

describe('the capacity tolerance when asking whether one more item fits', () => {
  const fits = (capacity: number, held: number[], units: number) => canTakeWork(holding(...held), { capacity, maxWorkItems: undefined }, { units });

  it('lets units up to a billionth of the capacity past it fit, and no more (capacity 100, 60 held)', () => {
    expect(fits(100, [60], 40)).toBe(true);
    expect(fits(100, [60], 40 + 0.5e-7)).toBe(true);
    expect(fits(100, [60], 40 + 1e-7)).toBe(true); // exactly a billionth of 100 over: within the tolerance
    expect(fits(100, [60], 40 + 2e-7)).toBe(false);
    expect(fits(100, [60], 41)).toBe(false);
  });

  it('answers the same through machine.canTake', () => {
    const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
    const state = run(machine, 'a1', [signIn(0), assign('c1', 60, 1)]).state;
    expect(machine.canTake(state, { units: 40 })).toBe(true);
    expect(machine.canTake(state, { units: 40 + 0.5e-7 })).toBe(true);
    expect(machine.canTake(state, { units: 40 + 2e-7 })).toBe(false);
  });

  it('grows with a large capacity: 1e12 lets an excess of 1e12 × 1e-10 fit, not one of 1e12 × 1e-8', () => {
    const capacity = 1e12;
    expect(fits(capacity, [], capacity + capacity * 1e-10)).toBe(true);
    expect(fits(capacity, [], capacity + capacity * 1e-9)).toBe(true);
    expect(fits(capacity, [], capacity + capacity * 1e-8)).toBe(false);
    const machine = createPresenceMachine({ defaultProfile: { capacity } });
    const state = run(machine, 'a1', [signIn(0)]).state;
    expect(machine.canTake(state, { units: capacity + capacity * 1e-10 })).toBe(true);
    expect(machine.canTake(state, { units: capacity + capacity * 1e-8 })).toBe(false);
  });

  it('is a billionth of a unit for a capacity below one (0.5)', () => {
    expect(fits(0.5, [], 0.5 + 1e-10)).toBe(true);
    expect(fits(0.5, [], 0.5 + 0.8e-9)).toBe(true); // more than a billionth of the capacity, less than a billionth of a unit
    expect(fits(0.5, [], 0.5 + 1e-9)).toBe(true);
    expect(fits(0.5, [], 0.5 + 1e-8)).toBe(false);
    const machine = createPresenceMachine({ defaultProfile: { capacity: 0.5 } });
    const state = run(machine, 'a1', [signIn(0)]).state;
    expect(machine.canTake(state, { units: 0.5 + 1e-10 })).toBe(true);
    expect(machine.canTake(state, { units: 0.5 + 1e-8 })).toBe(false);
  });

  it('counts 0.7 + 0.2 + 0.1 of a capacity of 1 as full, so nothing more fits', () => {
    const work = holding(0.7, 0.2, 0.1);
    expect(capacityLevel(work, { capacity: 1, maxWorkItems: undefined })).toBe('full');
    expect(measureCapacity(work, { capacity: 1, maxWorkItems: undefined }).level).toBe('full');
    expect(canTakeWork(work, { capacity: 1, maxWorkItems: undefined }, { units: 0 })).toBe(false);
  });
});
