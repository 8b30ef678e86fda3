/**
 * The simulation's clock and diary: a min-heap of things to do at a time, and the time now. Ties keep the order
 * they were scheduled in, so a run is deterministic. Each entry may be async; the run loop awaits it before the
 * next one, so one thing happens at a time.
 */
export class Agenda {
  /** The simulated time: the time of the entry being run (or the start, before the first). */
  now: number;
  private readonly heap: { at: number; seq: number; run: () => void | Promise<void> }[] = [];
  private seq = 0;

  constructor(start: number) {
    this.now = start;
  }
  get size(): number {
    return this.heap.length;
  }
  add(at: number, run: () => void | Promise<void>): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }
  peekAt(): number {
    return this.heap[0]?.at ?? Infinity;
  }
  /** Takes the earliest entry and moves `now` to its time. */
  pop(): { at: number; run: () => void | Promise<void> } {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.before(l, m)) m = l;
        if (r < heap.length && this.before(r, m)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    this.now = Math.max(this.now, top.at);
    return top;
  }
  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}
