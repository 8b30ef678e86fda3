import { describe, expect, it } from 'vitest';
import { capacityLevel } from '../src/index';

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
