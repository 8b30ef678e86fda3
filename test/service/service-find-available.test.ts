import { describe, expect, it, vi } from 'vitest';
import { createPresenceMachine, type PresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type RosterQuery } from '../../src/service/index';
import { assign, pick, release, run, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({
  presences: [{ id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' }],
  defaultProfile: { capacity: 100 },
  agents: { limited: { maxWorkItems: 1 }, small: { capacity: 30 } },
});
const service = () => createPresenceService({ machine, scheduler: recordingScheduler() });
const query = (q: Partial<RosterQuery> = {}): RosterQuery => ({ units: 10, bases: ['Available', 'Busy'], limit: 10, order: 'mostFree', ...q });
const ids = (found: readonly { agentId: string }[]) => found.map((c) => c.agentId);

describe('findAvailable', () => {
  it('offers agents in an allowed base with room for the units: mostFree by free units, then longest idle, then id', async () => {
    const s = service();
    await s.dispatch('b', signIn(1_000));
    await s.dispatch('a', signIn(2_000));
    await s.dispatch('c', signIn(500));
    await s.dispatch('c', assign('c1', 40, 3_000));
    await s.dispatch('d', signIn(1_000));
    await s.dispatch('d', pick('away', 1_500)); // Away: not offered
    await s.dispatch('e', assign('c9', 10, 1_000)); // signed out: Offline
    await s.dispatch('a2', signIn(2_000));
    const found = await s.findAvailable(query());
    expect(ids(found)).toEqual(['b', 'a', 'a2', 'c']); // 100, 100 (idle since 1000 before 2000), 100 (id after a), 60
    expect(found[3]).toMatchObject({ agentId: 'c', freeUnits: 60, idleSince: 3_000, workItems: 1, presence: { presenceId: 'busy' } });
  });

  it('longestIdle: idle longest first, then most free, then id', async () => {
    const s = service();
    await s.dispatch('x', signIn(5_000));
    await s.dispatch('y', signIn(1_000));
    await s.dispatch('y', assign('c1', 10, 4_000)); // busy since 4000
    await s.dispatch('z', signIn(4_000));
    await s.dispatch('w', signIn(4_000));
    await s.dispatch('w', assign('c2', 10, 4_000));
    expect(ids(await s.findAvailable(query({ order: 'longestIdle' })))).toEqual(['z', 'w', 'y', 'x']);
  });

  it('leaves out agents whose capacity is full, who hold their item limit, or who have too few free units', async () => {
    const s = service();
    await s.dispatch('full', signIn(1_000));
    await s.dispatch('full', assign('c1', 100, 1_100));
    await s.dispatch('limited', signIn(1_000));
    await s.dispatch('limited', assign('c2', 5, 1_100));
    await s.dispatch('small', signIn(1_000));
    await s.dispatch('small', assign('c3', 25, 1_100)); // 5 free
    await s.dispatch('roomy', signIn(1_000));
    expect(ids(await s.findAvailable(query({ bases: ['Available', 'Busy', 'BusyDND'] })))).toEqual(['roomy']);
    expect(ids(await s.findAvailable(query({ units: 5 })))).toEqual(['roomy', 'small']);
    await s.dispatch('full', release('c1', 2_000));
    expect(ids(await s.findAvailable(query({ units: 5 })))).toEqual(['roomy', 'full', 'small']); // both 100 free; roomy idle longer
  });

  it('narrows to presence ids when asked, and honours the limit', async () => {
    const s = service();
    for (const id of ['p1', 'p2', 'p3']) await s.dispatch(id, signIn(1_000));
    await s.dispatch('p2', pick('busy-chats', 2_000));
    expect(ids(await s.findAvailable(query({ presenceIds: ['busy-chats'] })))).toEqual(['p2']);
    expect(ids(await s.findAvailable(query({ limit: 2 })))).toEqual(['p1', 'p3']);
  });

  it('loads the stored roster on first use, so a new process answers about agents it never dispatched', async () => {
    const store = createMemoryPresenceStore();
    const first = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    await first.dispatch('agent-1', signIn(1_000));
    await first.dispatch('agent-2', signIn(2_000));
    const second = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    expect(ids(await second.findAvailable(query()))).toEqual(['agent-1', 'agent-2']);
    await first.dispatch('agent-1', pick('away', 3_000)); // another process changes agent-1
    expect(ids(await second.findAvailable(query()))).toEqual(['agent-1', 'agent-2']); // not seen yet
    expect(await second.rebuildRoster()).toBe(2);
    expect(ids(await second.findAvailable(query()))).toEqual(['agent-2']);
  });

  it('visits about as many agents as it answers with, not the whole roster', async () => {
    const counting: PresenceMachine = { ...machine, profileOf: vi.fn(machine.profileOf) };
    const s = createPresenceService({ machine: counting, scheduler: recordingScheduler() });
    for (let i = 0; i < 2_000; i++) await s.dispatch(`agent-${i}`, signIn(i));
    for (let i = 0; i < 1_000; i++) await s.dispatch(`agent-${i}`, assign('c1', 95, 5_000)); // 5 free: too little
    vi.mocked(counting.profileOf).mockClear();
    const found = await s.findAvailable(query({ units: 10, limit: 5 }));
    expect(found).toHaveLength(5);
    expect(vi.mocked(counting.profileOf).mock.calls.length).toBeLessThan(40);
    vi.mocked(counting.profileOf).mockClear();
    expect(await s.findAvailable(query({ units: 50, limit: 5, bases: ['Busy'] }))).toEqual([]); // every Busy agent has 5 free
    expect(vi.mocked(counting.profileOf).mock.calls.length).toBeLessThan(10);
  });

  it('finds an agent whose larger capacity tolerates more rounding than the agent ahead of it (capacity 1e9)', async () => {
    // The capacity check tolerates a billionth of each agent's own capacity: 1e-7 units at capacity 100, 1 unit at
    // 1e9. "small" has more free units than "huge" yet is refused 10 units; "huge" takes them within its tolerance.
    const mixed = createPresenceMachine({ defaultProfile: { capacity: 100 }, agents: { huge: { capacity: 1e9 } } });
    const s = createPresenceService({ machine: mixed, scheduler: recordingScheduler() });
    await s.dispatch('small', signIn(1_000));
    await s.dispatch('small', assign('c1', 90.5, 1_100)); // 9.5 free
    await s.dispatch('huge', signIn(1_000));
    await s.dispatch('huge', assign('c2', 1e9 - 9.2, 1_100)); // about 9.2 free, 1e9 + 0.8 with 10 more: within 1
    const [small, huge] = [(await s.get('small')).state, (await s.get('huge')).state];
    expect([mixed.canTake(small, { units: 10 }), mixed.canTake(huge, { units: 10 })]).toEqual([false, true]);
    expect(ids(await s.findAvailable(query({ units: 10 })))).toEqual(['huge']);
    expect(ids(await s.findAvailable(query({ units: 9.3 })))).toEqual(['small', 'huge']);
  });

  it('refuses a bad query with an error naming each field', async () => {
    const s = service();
    await expect(s.findAvailable({ units: -1, bases: [], limit: 0, order: 'random' } as never)).rejects.toThrow(
      [
        'findAvailable: invalid query:',
        '- units: must be a finite number ≥ 0 (got -1)',
        '- bases: must be a non-empty array of base statuses',
        '- limit: must be a whole number ≥ 1 (got 0)',
        '- order: must be one of mostFree, longestIdle, leastRecentlyOffered, roundRobin (got "random")',
      ].join('\n'),
    );
    await expect(s.findAvailable(query({ bases: ['Lunch' as never], presenceIds: [''] }))).rejects.toThrow(
      /- bases\[0\]: must be one of Available, .*\n- presenceIds\[0\]: must be a non-empty string/,
    );
  });
});

describe('machine.canTake, the capacity check findAvailable asks', () => {
  const state = (agentId: string, items: [string, number][]) =>
    run(machine, agentId, [signIn(0), ...items.map(([id, units], i) => assign(id, units, i + 1))]).state;

  it('needs free units ≥ the units asked, fewer items than maxWorkItems, and capacity not full', () => {
    expect(machine.canTake(state('a', [['c1', 60]]), { units: 40 })).toBe(true);
    expect(machine.canTake(state('a', [['c1', 60]]), { units: 41 })).toBe(false);
    expect(machine.canTake(state('limited', [['c1', 1]]), { units: 0 })).toBe(false);
    expect(machine.canTake(state('a', [['c1', 100]]), { units: 0 })).toBe(false);
    expect(machine.canTake(state('a', []), { units: 100 })).toBe(true);
  });

  it('counts fractional units with the same tolerance as the core', () => {
    const m = createPresenceMachine({ defaultProfile: { capacity: 1 } });
    const s = run(m, 'a', [signIn(0), assign('c1', 0.7, 1), assign('c2', 0.2, 2)]).state;
    expect(m.canTake(s, { units: 0.1 })).toBe(true); // 0.7 + 0.2 leaves 0.09999999999999998
  });
});

describe('findAvailable with a capacity profile', () => {
  it('offers only agents with a free slot of that profile, and none who lack the profile', async () => {
    const profiled = createPresenceMachine({
      defaultProfile: { capacity: 100, capacityProfiles: { chat: { maxItems: 2 }, case: { maxItems: 5 } } },
      agents: { 'no-chat': { capacityProfiles: { case: { maxItems: 5 } } } },
    });
    const s = createPresenceService({ machine: profiled, scheduler: recordingScheduler() });
    for (const agentId of ['full-chat', 'one-chat', 'no-chat']) await s.dispatch(agentId, signIn(1_000));
    for (const id of ['x1', 'x2']) await s.dispatch('full-chat', { type: 'workAssigned', workItemId: id, profile: 'chat', at: 2_000 });
    await s.dispatch('one-chat', { type: 'workAssigned', workItemId: 'y1', profile: 'chat', at: 2_000 });
    expect(ids(await s.findAvailable(query({ units: 0, profile: 'chat' })))).toEqual(['one-chat']);
    expect(ids(await s.findAvailable(query({ units: 0, profile: 'case' })))).toEqual(['no-chat', 'full-chat', 'one-chat']);
    expect(ids(await s.findAvailable(query({ units: 0 })))).toEqual(['no-chat', 'full-chat', 'one-chat']);
  });
});
