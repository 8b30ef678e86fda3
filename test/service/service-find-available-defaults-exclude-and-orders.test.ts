import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, ROSTER_QUERY_DEFAULTS } from '../../src/service/index';
import { assign, pick, release, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({
  defaultProfile: { capacity: 100, maxWorkItems: 3, capacityProfiles: { chat: { maxItems: 2 }, case: { maxItems: 1, blocking: true } } },
});
const service = (store = createMemoryPresenceStore()) => createPresenceService({ machine, store, scheduler: recordingScheduler() });
const ids = (found: readonly { agentId: string }[]) => found.map((c) => c.agentId);
const minute = 60_000;
const at = (h: number, m: number) => (h * 60 + m) * minute;

describe('findAvailable defaults', () => {
  it('answers findAvailable({}) and findAvailable() as the documented defaults: Available and Busy, mostFree, 0 units, 10 agents', async () => {
    const s = service();
    for (let i = 0; i < 12; i++) await s.dispatch(`a${String(i).padStart(2, '0')}`, signIn(1_000 + i));
    await s.dispatch('a00', assign('c1', 40, 2_000)); // Busy, fewer free units: last
    await s.dispatch('a01', pick('away', 2_000)); // Away: never
    const explicit = await s.findAvailable({ units: 0, bases: ['Available', 'Busy'], order: 'mostFree', limit: 10 });
    expect(await s.findAvailable({})).toEqual(explicit);
    expect(await s.findAvailable()).toEqual(explicit);
    expect(explicit).toHaveLength(10);
    expect(ids(explicit)).not.toContain('a01');
    expect(ROSTER_QUERY_DEFAULTS).toMatchObject({ units: 0, bases: ['Available', 'Busy'], order: 'mostFree', limit: 10, maxLimit: 10_000, maxExclude: 1_000 });
  });

  it('refuses a limit or an exclude list past its bound, naming the field and what to do', async () => {
    const s = service();
    await expect(s.findAvailable({ limit: 10_001 })).rejects.toThrow(
      '- limit: must be at most 10000 (got 10001): ask again excluding the agents already given',
    );
    const many = Array.from({ length: 1_001 }, (_, i) => `x${i}`);
    await expect(s.findAvailable({ exclude: many })).rejects.toThrow('- exclude: must hold at most 1000 agent ids (got 1001)');
    await expect(s.findAvailable({ exclude: ['ok', ''] })).rejects.toThrow('- exclude[1]: must be a non-empty string');
    await expect(s.findAvailable({ after: '' })).rejects.toThrow('- after: must be a non-empty string');
    await expect(s.findAvailable(null as never)).rejects.toThrow('must be an object (got null)');
  });
});

describe('findAvailable exclude', () => {
  it('never offers an excluded agent, and does not count them toward the limit', async () => {
    const s = service();
    for (const id of ['a', 'b', 'c', 'd']) await s.dispatch(id, signIn(1_000));
    expect(ids(await s.findAvailable({ limit: 2 }))).toEqual(['a', 'b']);
    expect(ids(await s.findAvailable({ limit: 2, exclude: ['a', 'c', 'nobody'] }))).toEqual(['b', 'd']);
    expect(ids(await s.findAvailable({ exclude: ['a', 'b', 'c', 'd'] }))).toEqual([]);
  });
});

describe('findAvailable free items per capacity profile', () => {
  it('gives, for each capacity profile, how many more items of it fit (its maxItems, maxWorkItems, a blocking profile in use)', async () => {
    const s = service();
    await s.dispatch('fresh', signIn(1_000));
    await s.dispatch('chatting', signIn(1_000));
    await s.dispatch('chatting', { type: 'workAssigned', workItemId: 'c1', units: 10, profile: 'chat', at: 2_000 });
    await s.dispatch('two', signIn(1_000));
    await s.dispatch('two', { type: 'workAssigned', workItemId: 'x1', units: 10, at: 2_000 });
    await s.dispatch('two', { type: 'workAssigned', workItemId: 'x2', units: 10, at: 2_000 });
    await s.dispatch('casing', signIn(1_000));
    await s.dispatch('casing', { type: 'workAssigned', workItemId: 'k1', units: 10, profile: 'case', at: 2_000 });
    const byId = Object.fromEntries((await s.findAvailable({})).map((c) => [c.agentId, c.freeByProfile]));
    expect(byId.fresh).toEqual({ chat: 2, case: 1 });
    expect(byId.chatting).toEqual({ chat: 1, case: 1 });
    expect(byId.two).toEqual({ chat: 1, case: 1 }); // maxWorkItems 3, two held: one more item of any profile
    // A blocking case held: the machine refuses any other item, so no profile has room.
    expect(byId.casing ?? { chat: 0, case: 0 }).toEqual({ chat: 0, case: 0 });
  });
});

describe('findAvailable orders', () => {
  it('longestIdle counts from when the agent last finished work, not only from the presence change or the last assignment', async () => {
    const store = createMemoryPresenceStore();
    const s = service(store);
    // early: Available 09:01, two chats (Busy from 09:10), finishes one at 09:20 and stays Busy with the other.
    await s.dispatch('early', signIn(at(9, 1)));
    await s.dispatch('early', assign('c1', 40, at(9, 10)));
    await s.dispatch('early', assign('c2', 10, at(9, 15)));
    await s.dispatch('early', release('c1', at(9, 20)));
    // later: Busy with one chat since 09:18, and nothing finished since.
    await s.dispatch('later', signIn(at(9, 0)));
    await s.dispatch('later', assign('c3', 50, at(9, 18)));
    const found = await s.findAvailable({ order: 'longestIdle' });
    expect(found.map((c) => [c.agentId, c.idleSince])).toEqual([
      ['later', at(9, 18)],
      ['early', at(9, 20)],
    ]);
    // The mark is in the stored record: a new process ranks the same.
    expect(ids(await service(store).findAvailable({ order: 'longestIdle' }))).toEqual(['later', 'early']);
    expect((await store.load('early'))?.record.routing).toEqual({ workEndedAt: at(9, 20), routedAt: at(9, 15) });
  });

  it('longestIdle counts the end of a wrap-up as the end of the work', async () => {
    const wrapping = createPresenceMachine({ defaultProfile: { capacity: 100, wrapUpMs: 5 * minute } });
    const s = createPresenceService({ machine: wrapping, scheduler: recordingScheduler() });
    await s.dispatch('w', signIn(at(9, 0)));
    await s.dispatch('w', assign('c1', 10, at(9, 1)));
    await s.dispatch('w', assign('c2', 10, at(9, 2)));
    await s.dispatch('w', release('c1', at(9, 10)));
    await s.dispatch('w', { type: 'tick', at: at(9, 30) }); // the wrap-up ended at 09:15
    const [w] = await s.findAvailable({});
    expect(w?.idleSince).toBe(at(9, 15));
  });

  it('leastRecentlyOffered: never given an item first, then the agent given one longest ago; the mark outlives the item', async () => {
    const s = service();
    for (const id of ['a', 'b', 'c', 'd']) await s.dispatch(id, signIn(1_000));
    await s.dispatch('a', assign('i1', 10, 3_000));
    await s.dispatch('b', assign('i2', 10, 2_000));
    await s.dispatch('d', assign('i3', 10, 4_000));
    await s.dispatch('d', release('i3', 4_500));
    const found = await s.findAvailable({ order: 'leastRecentlyOffered' });
    expect(found.map((c) => [c.agentId, c.lastRoutedAt])).toEqual([
      ['c', undefined],
      ['b', 2_000],
      ['a', 3_000],
      ['d', 4_000],
    ]);
  });

  it('roundRobin: agent ids in order, starting after the one given, wrapping around', async () => {
    const s = service();
    for (const id of ['d', 'b', 'a', 'c']) await s.dispatch(id, signIn(1_000));
    expect(ids(await s.findAvailable({ order: 'roundRobin' }))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(await s.findAvailable({ order: 'roundRobin', after: 'b' }))).toEqual(['c', 'd', 'a', 'b']);
    expect(ids(await s.findAvailable({ order: 'roundRobin', after: 'bb', limit: 3 }))).toEqual(['c', 'd', 'a']);
    expect(ids(await s.findAvailable({ order: 'roundRobin', after: 'z' }))).toEqual(['a', 'b', 'c', 'd']);
  });
});
