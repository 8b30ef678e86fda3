/**
 * A bounded map that keeps what was used lately: the Redis store's records, each as this process saved or read it.
 *
 * A hit only sets a flag; it does not move the entry. Moving it (`delete` then `set`, as a plain Map LRU does) on
 * every hit of a map of 100,000 records left a deleted slot each time, and V8 then rebuilt the whole table every
 * few tens of thousands of hits, in one go: `cache.set` was the hottest line of a dispatch in the CPU profile
 * (5.4 % of the process, `npm run bench -- redis-dispatch` at 100,000 agents, docs/performance.md). An entry is
 * moved only when it is about to be evicted and was used since it was last looked at (a second chance, as the
 * CLOCK page-replacement scheme does), at most {@link SECOND_CHANCES} of them per eviction, so one eviction never
 * walks the whole map.
 *
 * @internal
 */
export interface RecordCache<Value> {
  /** The value kept for `key`, marked as used; `undefined` when none is kept. */
  get(key: string): Value | undefined;
  /** Keeps `value` for `key` (in place when one is kept already), then evicts the least recently used beyond the size. */
  set(key: string, value: Value): void;
  delete(key: string): void;
  readonly size: number;
}

/** How many recently used entries one eviction passes over (moving each to the back) before it evicts one anyway. */
export const SECOND_CHANCES = 16;

/**
 * A {@link RecordCache} of at most `capacity` entries (0: keeps nothing).
 *
 * @internal
 */
export function createRecordCache<Value>(capacity: number): RecordCache<Value> {
  const entries = new Map<string, { value: Value; used: boolean }>();
  /** Evicts from the front down to the capacity, passing over (to the back) the entry just added and some used ones. */
  const evict = (added: string) => {
    for (let passed = 0; entries.size > capacity;) {
      const [key, entry] = entries.entries().next().value as [string, { value: Value; used: boolean }];
      entries.delete(key);
      if (key === added || (entry.used && passed++ < SECOND_CHANCES)) {
        entry.used = false;
        entries.set(key, entry);
      }
    }
  };
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entry.used = true;
      return entry.value;
    },
    set(key, value) {
      if (capacity === 0) return;
      const entry = entries.get(key);
      if (entry !== undefined) {
        entry.value = value;
        entry.used = true;
        return;
      }
      entries.set(key, { value, used: false });
      evict(key);
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
