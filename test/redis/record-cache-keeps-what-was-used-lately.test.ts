import { describe, expect, it } from 'vitest';
import { createRecordCache, SECOND_CHANCES } from '../../src/redis/createRecordCache';

describe('the Redis store record cache', () => {
  it('never holds more than its capacity, and keeps nothing at 0', () => {
    const cache = createRecordCache<number>(3);
    for (let i = 0; i < 10; i++) cache.set(`a${i}`, i);
    expect(cache.size).toBe(3);
    const none = createRecordCache<number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
    expect(none.size).toBe(0);
  });

  it('evicts the least recently used: an entry read since it was kept outlives one that was not', () => {
    const cache = createRecordCache<number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // used: survives the next eviction
    cache.set('d', 4);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
  });

  it('replaces a value in place, and never evicts the entry just kept, even when every other one was used', () => {
    const cache = createRecordCache<number>(2);
    cache.set('a', 1);
    cache.set('a', 10);
    expect(cache.get('a')).toBe(10);
    expect(cache.size).toBe(1);
    cache.set('b', 2);
    cache.get('a');
    cache.get('b');
    cache.set('c', 3);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('passes over at most SECOND_CHANCES used entries per eviction, so one eviction never walks the whole map', () => {
    const capacity = SECOND_CHANCES * 4;
    const cache = createRecordCache<number>(capacity);
    for (let i = 0; i < capacity; i++) cache.set(`a${i}`, i);
    for (let i = 0; i < capacity; i++) cache.get(`a${i}`);
    cache.set('new', -1);
    // The first SECOND_CHANCES (all used) went to the back; the next one was evicted, used or not.
    expect(cache.get(`a${SECOND_CHANCES}`)).toBeUndefined();
    for (let i = 0; i < SECOND_CHANCES; i++) expect(cache.get(`a${i}`)).toBe(i);
    expect(cache.size).toBe(capacity);
  });

  it('forgets what it is told to', () => {
    const cache = createRecordCache<number>(2);
    cache.set('a', 1);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
