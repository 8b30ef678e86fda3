import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedList } from '../../src/service/SortedList';

describe('SortedList (the roster index ordering)', () => {
  it('holds exactly what a sorted array model holds, in order, through random inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxLength: 2_000 }),
        fc.integer({ min: 1, max: 8 }),
        (operations, chunkSize) => {
          const list = new SortedList<number>((a, b) => a - b, chunkSize);
          const model = new Set<number>();
          for (const [insert, value] of operations) {
            if (insert) {
              list.insert(value);
              model.add(value);
            } else {
              expect(list.delete(value)).toBe(model.delete(value));
            }
          }
          const expected = [...model].sort((a, b) => a - b);
          expect([...list]).toEqual(expected);
          expect(list.size).toBe(expected.length);
          const walked: number[] = [];
          const cursor = list.cursor();
          for (let item = cursor.peek(); item !== undefined; item = cursor.peek()) {
            walked.push(item);
            cursor.advance();
          }
          expect(walked).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
