import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPresenceMachine, type ResolvedPresence } from '../../src/index';
import {
  createMemoryHistoryStore,
  createMemoryPresenceStore,
  createMemoryPublisher,
  createSystemClock,
  createTimerScheduler,
  type PresenceChange,
  type StoredRecord,
} from '../../src/service/index';

const machine = createPresenceMachine({});
const record = (agentId: string) => ({ state: machine.initialState(agentId), seen: [] });
const presence = (presenceId: string, since: number): ResolvedPresence => ({
  presenceId,
  base: 'Away',
  name: presenceId,
  text: presenceId,
  source: 'manual',
  since,
});
const change = (agentId: string, at: number, version: number, to = 'away'): PresenceChange => ({
  agentId,
  from: presence('available', 0),
  to: presence(to, at),
  at,
  source: 'manual',
  version,
});

describe('createMemoryPresenceStore', () => {
  it('saves only at the expected version (0: not stored yet), each save one version higher', async () => {
    const store = createMemoryPresenceStore();
    expect(await store.load('a1')).toBeUndefined();
    expect(await store.save('a1', record('a1'), 1)).toEqual({ ok: false, conflict: true, currentVersion: 0 });
    expect(await store.save('a1', record('a1'), 0)).toEqual({ ok: true, version: 1 });
    expect(await store.save('a1', record('a1'), 0)).toEqual({ ok: false, conflict: true, currentVersion: 1 });
    const next = record('a1');
    expect(await store.save('a1', next, 1)).toEqual({ ok: true, version: 2 });
    expect(await store.load('a1')).toEqual({ record: next, version: 2 });
  });

  it('lists every stored agent with its record and version', async () => {
    const store = createMemoryPresenceStore();
    await store.save('a1', record('a1'), 0);
    await store.save('a2', record('a2'), 0);
    await store.save('a2', record('a2'), 1);
    const listed: StoredRecord[] = [];
    for await (const stored of store.list()) listed.push(stored);
    expect(listed.map(({ agentId, version }) => ({ agentId, version }))).toEqual([
      { agentId: 'a1', version: 1 },
      { agentId: 'a2', version: 2 },
    ]);
    expect(store.size).toBe(2);
  });

  it('lists each agent as stored when the listing reaches it, leaving out one forgotten meanwhile', async () => {
    const store = createMemoryPresenceStore();
    for (const agentId of ['a1', 'a2', 'a3']) await store.save(agentId, record(agentId), 0);
    const listed: string[] = [];
    for await (const { agentId, version } of store.list()) {
      listed.push(`${agentId} v${version}`);
      if (agentId === 'a1') {
        await store.save('a2', record('a2'), 1);
        expect(await store.forget('a3', 2)).toBe(false); // compare-and-delete: not at that version
        expect(await store.forget('a3', 1)).toBe(true);
      }
    }
    expect(listed).toEqual(['a1 v1', 'a2 v2']);
    expect(store.size).toBe(2);
  });
});

describe('createMemoryHistoryStore', () => {
  it('reads the change a window starts in and every change inside it, oldest first', async () => {
    const history = createMemoryHistoryStore();
    for (const [at, version] of [
      [1_000, 1],
      [2_000, 2],
      [3_000, 3],
      [4_000, 4],
    ] as const)
      await history.append(change('a1', at, version));
    await history.append(change('a2', 2_500, 1));
    const read = async (from: number, to: number) => (await history.read('a1', { from, to })).map((c) => c.version);
    expect(await read(2_500, 3_500)).toEqual([2, 3]);
    expect(await read(2_000, 4_000)).toEqual([2, 3]);
    expect(await read(0, 1_500)).toEqual([1]);
    expect(await read(5_000, 6_000)).toEqual([4]);
    expect((await history.read('nobody', { from: 0, to: 10 })).length).toBe(0);
  });

  it('keeps the latest `limit` changes per agent', async () => {
    const history = createMemoryHistoryStore({ limit: 2 });
    for (let v = 1; v <= 4; v++) await history.append(change('a1', v * 1_000, v));
    expect((await history.read('a1', { from: 0, to: 10_000 })).map((c) => c.version)).toEqual([3, 4]);
    expect(() => createMemoryHistoryStore({ limit: 0 })).toThrow('createMemoryHistoryStore: limit must be a whole number ≥ 1 (got 0)');
  });
});

describe('createMemoryPublisher', () => {
  it('keeps the latest `limit` changes, oldest first, until cleared', async () => {
    const publisher = createMemoryPublisher({ limit: 2 });
    for (let v = 1; v <= 3; v++) await publisher.publish(change('a1', v, v));
    expect(publisher.changes().map((c) => c.version)).toEqual([2, 3]);
    publisher.clear();
    expect(publisher.changes()).toEqual([]);
    expect(() => createMemoryPublisher({ limit: -1 })).toThrow('createMemoryPublisher: limit must be a whole number ≥ 0 (got -1)');
  });
});

describe('createSystemClock', () => {
  it('reads Date.now', () => {
    vi.spyOn(Date, 'now').mockReturnValue(42);
    expect(createSystemClock().now()).toBe(42);
    vi.restoreAllMocks();
  });
});

describe('createTimerScheduler', () => {
  afterEach(() => void vi.useRealTimers());

  it('fires at the deadline; a new set replaces the agent timer; cancel disarms it', () => {
    vi.useFakeTimers({ now: 0 });
    const scheduler = createTimerScheduler();
    const fired: string[] = [];
    scheduler.set('a1', 1_000, () => fired.push('a1 first'));
    scheduler.set('a1', 2_000, () => fired.push('a1 second'));
    scheduler.set('a2', 500, () => fired.push('a2'));
    scheduler.set('a3', 700, () => fired.push('a3'));
    scheduler.cancel('a3');
    scheduler.cancel('never-set');
    expect(scheduler.size).toBe(2);
    vi.advanceTimersByTime(1_999);
    expect(fired).toEqual(['a2']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a2', 'a1 second']);
    expect(scheduler.size).toBe(0);
  });

  it('fires a deadline already past on the next turn, and reaches deadlines beyond the setTimeout limit in steps', () => {
    vi.useFakeTimers({ now: 10_000 });
    const scheduler = createTimerScheduler();
    const fired: number[] = [];
    scheduler.set('past', 5_000, () => fired.push(5_000));
    vi.advanceTimersByTime(0);
    expect(fired).toEqual([5_000]);
    const far = 10_000 + 2 ** 31 + 5_000; // beyond setTimeout's longest delay
    scheduler.set('far', far, () => fired.push(far));
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).toEqual([5_000]);
    expect(scheduler.size).toBe(1);
    vi.advanceTimersByTime(5_001);
    expect(fired).toEqual([5_000, far]);
  });

  it('measures deadlines on the clock it is given', () => {
    vi.useFakeTimers({ now: 0 });
    const scheduler = createTimerScheduler({ clock: { now: () => 1_000_000 } });
    const fired: string[] = [];
    scheduler.set('a1', 1_000_300, () => fired.push('a1'));
    vi.advanceTimersByTime(299);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a1']);
  });
});
