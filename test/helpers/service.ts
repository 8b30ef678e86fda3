/**
 * Test doubles for the presence service's ports: a store that adds latency and injects conflicts, a clock and a
 * scheduler driven by hand, and a seeded random source so that the concurrency tests replay exactly.
 */
import type { Clock, PresenceChange, PresenceRecord, PresenceStore, SaveResult, Scheduler, StoredRecord } from '../../src/service/index';
import { createMemoryPresenceStore } from '../../src/service/index';

/** A small seeded PRNG (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lets other tasks run: `turns` trips through the macrotask queue. */
export async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export interface FlakyStoreOptions {
  /** Random source for latency and conflicts. */
  readonly random: () => number;
  /** Up to this many event-loop turns before each load and save completes. */
  readonly maxLatencyTurns?: number;
  /**
   * Chance that a save finds that "another writer" saved first: the store bumps the version (keeping the record,
   * as a writer that changed nothing else would) and reports a conflict.
   */
  readonly conflictRate?: number;
}

/** Counters of what a {@link createFlakyStore} did. */
export interface FlakyStoreStats {
  loads: number;
  saves: number;
  conflicts: number;
  injectedConflicts: number;
}

/**
 * A memory store behind latency and injected conflicts, and a log of every successful save per agent (the record
 * saved and its version), so a test can replay what was committed.
 */
export function createFlakyStore(options: FlakyStoreOptions): PresenceStore & {
  readonly stats: FlakyStoreStats;
  readonly commits: Map<string, { record: PresenceRecord; version: number }[]>;
  peek(agentId: string): Promise<{ record: PresenceRecord; version: number } | undefined>;
} {
  const inner = createMemoryPresenceStore();
  const stats: FlakyStoreStats = { loads: 0, saves: 0, conflicts: 0, injectedConflicts: 0 };
  const commits = new Map<string, { record: PresenceRecord; version: number }[]>();
  const latency = () => yieldTurns(Math.floor(options.random() * ((options.maxLatencyTurns ?? 0) + 1)));
  return {
    stats,
    commits,
    peek: (agentId) => inner.load(agentId),
    async load(agentId) {
      stats.loads++;
      await latency();
      return inner.load(agentId);
    },
    async save(agentId, record, expectedVersion): Promise<SaveResult> {
      stats.saves++;
      await latency();
      const current = await inner.load(agentId);
      if (current !== undefined && options.random() < (options.conflictRate ?? 0)) {
        // Another writer saved the same record in between: the version moves on, the content does not.
        await inner.save(agentId, current.record, current.version);
        stats.injectedConflicts++;
      }
      const saved = await inner.save(agentId, record, expectedVersion);
      if (saved.ok) {
        let log = commits.get(agentId);
        if (log === undefined) commits.set(agentId, (log = []));
        log.push({ record, version: saved.version });
      } else {
        stats.conflicts++;
      }
      return saved;
    },
    list: (): AsyncIterable<StoredRecord> => inner.list(),
  };
}

/** A clock set by hand. */
export function manualClock(start = 1_700_000_000_000): Clock & { set(now: number): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (value) => void (now = value),
    advance: (ms) => void (now += ms),
  };
}

/** A scheduler that records what the service asked of it and fires by hand. */
export function recordingScheduler(): Scheduler & {
  readonly calls: string[];
  readonly timers: Map<string, { at: number; fire: () => void }>;
  fire(agentId: string): void;
} {
  const calls: string[] = [];
  const timers = new Map<string, { at: number; fire: () => void }>();
  return {
    calls,
    timers,
    set(agentId, at, fire) {
      calls.push(`set ${agentId} ${at}`);
      timers.set(agentId, { at, fire });
    },
    cancel(agentId) {
      calls.push(`cancel ${agentId}`);
      timers.delete(agentId);
    },
    fire(agentId) {
      const timer = timers.get(agentId);
      if (timer === undefined) throw new Error(`no timer for ${agentId}`);
      timers.delete(agentId);
      timer.fire();
    },
  };
}

/** A publisher that records the changes it is given, per agent. */
export function recordingPublisher(): {
  publish(change: PresenceChange): void;
  readonly changes: PresenceChange[];
  byAgent(agentId: string): PresenceChange[];
} {
  const changes: PresenceChange[] = [];
  return {
    changes,
    publish: (change) => void changes.push(change),
    byAgent: (agentId) => changes.filter((c) => c.agentId === agentId),
  };
}
