/**
 * A sorted list of distinct items under a total order: insert and delete in O(log n + chunk), walk in order
 * from the start. Kept as a list of sorted chunks (each at most `2 × chunkSize` long), so an insert moves a
 * chunk's items, never the whole list's.
 *
 * @internal
 */
export class SortedList<T> {
  private readonly chunks: T[][] = [];
  private count = 0;

  /**
   * @param compare - a total order: 0 only for the same item
   * @param chunkSize - target chunk length
   */
  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly chunkSize = 256,
  ) {}

  /** How many items the list holds. */
  get size(): number {
    return this.count;
  }

  /** The first chunk whose last item is not before `item` (the last chunk when every chunk is). */
  private chunkFor(item: T): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid] as T[];
      if (this.compare(chunk[chunk.length - 1] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first position in `chunk` whose item is not before `item`. */
  private position(chunk: readonly T[], item: T): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(chunk[mid] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds an item (one equal to an item held is not added twice). */
  insert(item: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.count = 1;
      return;
    }
    const index = this.chunkFor(item);
    const chunk = this.chunks[index] as T[];
    const at = this.position(chunk, item);
    if (at < chunk.length && this.compare(chunk[at] as T, item) === 0) return;
    chunk.splice(at, 0, item);
    this.count++;
    if (chunk.length > 2 * this.chunkSize) this.chunks.splice(index + 1, 0, chunk.splice(this.chunkSize));
  }

  /** Removes the item equal to `item`; returns whether there was one. */
  delete(item: T): boolean {
    if (this.chunks.length === 0) return false;
    const index = this.chunkFor(item);
    const chunk = this.chunks[index] as T[];
    const at = this.position(chunk, item);
    if (at >= chunk.length || this.compare(chunk[at] as T, item) !== 0) return false;
    chunk.splice(at, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(index, 1);
    return true;
  }

  /** A cursor at the first item: `peek` the current one, `advance` past it. Do not change the list while walking. */
  cursor(): { peek(): T | undefined; advance(): void } {
    return this.walkFrom(0, 0);
  }

  /** A cursor at the first item after `item` (as `cursor` walks). Do not change the list while walking. */
  cursorAfter(item: T): { peek(): T | undefined; advance(): void } {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = chunks[mid] as T[];
      if (this.compare(chunk[chunk.length - 1] as T, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const chunk = lo;
    let offset = 0;
    const found = chunks[chunk];
    if (found !== undefined) {
      let end = found.length;
      while (offset < end) {
        const mid = (offset + end) >> 1;
        if (this.compare(found[mid] as T, item) <= 0) offset = mid + 1;
        else end = mid;
      }
    }
    return this.walkFrom(chunk, offset);
  }

  /** A cursor at `chunks[chunk][offset]`, walking on into the next chunks. */
  private walkFrom(chunk: number, offset: number): { peek(): T | undefined; advance(): void } {
    const chunks = this.chunks;
    return {
      peek: () => chunks[chunk]?.[offset],
      advance: () => {
        offset++;
        if (offset >= (chunks[chunk]?.length ?? 0)) {
          chunk++;
          offset = 0;
        }
      },
    };
  }

  /** Every item, in order. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }
}
