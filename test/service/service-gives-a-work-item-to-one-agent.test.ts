/**
 * One item, one agent, in memory: a work item id is held by at most one agent of the service at a time. An
 * assignment of an item another agent holds is refused with WORK_ITEM_TAKEN and writes nothing; a claim whose
 * holder's record does not hold the item is stale after the lease (a router that died between claim and save), and
 * work that leaves an agent frees its claim. Run twice: with the store claiming and freeing in its save
 * (`saveClaimingWork`), and in steps (`claimWork`, the save, `freeWork`), as a store that cannot (a Redis Cluster).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { claimHeldWork, createMemoryPresenceStore, createPresenceService, type PresenceChange, type PresenceStore } from '../../src/service/index';
import { manualClock, recordingScheduler, seededRandom, yieldTurns } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100, maxWorkItems: 50, wrapUpMs: 0 } });
const LEASE_MS = 5_000;

let steps = false;

function setup() {
  const clock = manualClock(1_000_000);
  const store = createMemoryPresenceStore({ clock, claimLeaseMs: LEASE_MS });
  const changes: PresenceChange[] = [];
  const history = { append: (change: PresenceChange) => void changes.push(change), read: () => [] };
  // In steps: the service is given the store without `saveClaimingWork` (the same claims and records underneath).
  const ports: PresenceStore = { ...store };
  if (steps) delete ports.saveClaimingWork;
  const service = createPresenceService({ machine, store: ports, clock, history, scheduler: recordingScheduler(), maxAttempts: 1_000 });
  return { clock, store, service, changes };
}

const assign = (workItemId: string, at: number, extra: Partial<PresenceEvent> = {}): PresenceEvent =>
  ({ type: 'workAssigned', workItemId, units: 10, at, ...extra }) as PresenceEvent;

describe.each([
  { how: 'claimed in the save', inSteps: false },
  { how: 'claimed in steps', inSteps: true },
])('one item, one agent (memory store, $how)', ({ inSteps }) => {
  beforeEach(() => {
    steps = inSteps;
  });

  it('refuses an item another agent holds with WORK_ITEM_TAKEN naming the item, the holder and what to do, and writes nothing', async () => {
    const { service, store, changes, clock } = setup();
    const at = clock.now();
    await service.dispatch('a1', { type: 'signIn', at });
    await service.dispatch('a2', { type: 'signIn', at });
    expect((await service.dispatch('a1', assign('chat-1', at))).rejection).toBeUndefined();
    const before = await store.load('a2');
    const historyBefore = changes.length;
    const refused = await service.dispatch('a2', assign('chat-1', at + 1, { eventId: 'e-taken' }));
    expect(refused.rejection?.code).toBe('WORK_ITEM_TAKEN');
    expect(refused.rejection?.message).toBe(
      'Agent "a2": workItemId "chat-1" is held by agent "a1" (a work item goes to one agent at a time): release it from "a1" first, or assign another item',
    );
    expect(refused.changed).toBe(false);
    expect(refused.version).toBe(before?.version);
    // Nothing written: the same record (not even the event id remembered), no history.
    expect(await store.load('a2')).toBe(before);
    expect(changes.length).toBe(historyBefore);
    expect((await service.get('a2')).state.work).toEqual([]);
  });

  it('names an assignment still in flight (claimed, not yet saved) as such', async () => {
    const { service, store, clock } = setup();
    await service.dispatch('a2', { type: 'signIn', at: clock.now() });
    // A router claimed chat-1 for a1 and has not saved yet.
    expect((await store.claimWork('a1', ['chat-1'])).ok).toBe(true);
    const refused = await service.dispatch('a2', assign('chat-1', clock.now()));
    expect(refused.rejection?.code).toBe('WORK_ITEM_TAKEN');
    expect(refused.rejection?.message).toBe(
      'Agent "a2": workItemId "chat-1" is being assigned to agent "a1" (a work item goes to one agent at a time): wait for that assignment to end, or assign another item',
    );
  });

  it('gives the item of a router that died between claim and save to another agent after the lease, and not before', async () => {
    const { service, store, clock } = setup();
    await service.dispatch('a2', { type: 'signIn', at: clock.now() });
    await store.claimWork('a1', ['chat-1']); // and never saved
    clock.advance(LEASE_MS - 1);
    expect((await service.dispatch('a2', assign('chat-1', clock.now()))).rejection?.code).toBe('WORK_ITEM_TAKEN');
    clock.advance(1);
    const taken = await service.dispatch('a2', assign('chat-1', clock.now()));
    expect(taken.rejection).toBeUndefined();
    expect(taken.state.work.map((w) => w.workItemId)).toEqual(['chat-1']);
  });

  it("refuses the dead router's save once its claim was taken over (it saved without the claim's confirmation)", async () => {
    const { service, store, clock } = setup();
    await service.dispatch('a1', { type: 'signIn', at: clock.now() });
    await service.dispatch('a2', { type: 'signIn', at: clock.now() });
    const slow = await store.claimWork('a1', ['chat-1']);
    if (!slow.ok) throw new Error('claim refused');
    clock.advance(LEASE_MS);
    expect((await service.dispatch('a2', assign('chat-1', clock.now()))).rejection).toBeUndefined();
    // The slow router wakes up and saves a1's record adding chat-1 with its old claim: a conflict, nothing written.
    const loaded = await store.load('a1');
    const next = machine.transition(loaded!.record.state, assign('chat-1', clock.now())).state;
    const saved = await store.save('a1', { state: next, seen: [] }, loaded!.version, { claims: slow.claims });
    expect(saved.ok).toBe(false);
    expect((await store.load('a1'))?.record.state.work).toEqual([]);
    // Through the service, the same assignment is refused: the item is a2's now.
    expect((await service.dispatch('a1', assign('chat-1', clock.now()))).rejection?.code).toBe('WORK_ITEM_TAKEN');
  });

  it('frees the claim when work leaves the agent: released, wrap-up ended (by event or by deadline), released after sign-out', async () => {
    const { service, clock } = setup();
    const t = () => clock.now();
    for (const id of ['a1', 'a2']) await service.dispatch(id, { type: 'signIn', at: t() });
    const handOver = async (workItemId: string, leave: PresenceEvent[]) => {
      expect((await service.dispatch('a1', assign(workItemId, t()))).rejection).toBeUndefined();
      expect((await service.dispatch('a2', assign(workItemId, t()))).rejection?.code).toBe('WORK_ITEM_TAKEN');
      for (const event of leave) expect((await service.dispatch('a1', event)).rejection, event.type).toBeUndefined();
      expect((await service.dispatch('a2', assign(workItemId, t()))).rejection, workItemId).toBeUndefined(); // at once, no lease to wait
      expect((await service.dispatch('a2', { type: 'workReleased', workItemId, at: t() })).rejection).toBeUndefined();
    };
    await handOver('released', [{ type: 'workReleased', workItemId: 'released', at: t() }]);
    await handOver('wrap-up by event', [
      { type: 'workReleased', workItemId: 'wrap-up by event', wrapUpMs: 60_000, at: t() },
      { type: 'wrapUpEnded', workItemId: 'wrap-up by event', at: t() },
    ]);
    // Held through its wrap-up: still a1's until the wrap-up's deadline passes (a tick, or any later event).
    expect((await service.dispatch('a1', assign('wrap-up by deadline', t()))).rejection).toBeUndefined();
    expect((await service.dispatch('a1', { type: 'workReleased', workItemId: 'wrap-up by deadline', wrapUpMs: 1_000, at: t() })).rejection).toBeUndefined();
    expect((await service.dispatch('a2', assign('wrap-up by deadline', t()))).rejection?.code).toBe('WORK_ITEM_TAKEN');
    clock.advance(1_000);
    await service.dispatch('a1', { type: 'tick', at: t() });
    expect((await service.dispatch('a2', assign('wrap-up by deadline', t()))).rejection).toBeUndefined();
    // Signing out keeps the work (the agent still holds it, and its claim stays); releasing it then frees it.
    await service.dispatch('a1', { type: 'signIn', at: t() });
    expect((await service.dispatch('a1', assign('signed out', t()))).rejection).toBeUndefined();
    await service.dispatch('a1', { type: 'signOut', at: t() });
    expect((await service.dispatch('a2', assign('signed out', t()))).rejection?.code).toBe('WORK_ITEM_TAKEN');
    await service.dispatch('a1', { type: 'workReleased', workItemId: 'signed out', at: t() });
    expect((await service.dispatch('a2', assign('signed out', t()))).rejection).toBeUndefined();
  });

  it('lets the same agent take an item again, and frees the claims of an event that ended refused', async () => {
    const { service, store, clock } = setup();
    await service.dispatch('a1', { type: 'signIn', at: clock.now() });
    await service.dispatch('a2', { type: 'signIn', at: clock.now() });
    await service.dispatch('a1', assign('c1', clock.now()));
    expect((await service.dispatch('a1', assign('c1', clock.now()))).rejection?.code).toBe('DUPLICATE_WORK_ITEM');
    await service.dispatch('a1', { type: 'workReleased', workItemId: 'c1', at: clock.now() });
    expect((await service.dispatch('a1', assign('c1', clock.now()))).rejection).toBeUndefined();
    // A declined assignment (precondition false) claims nothing.
    const declined = await service.dispatch('a2', assign('c2', clock.now()), { precondition: () => false });
    expect(declined.declined).toBe(true);
    expect((await store.claimWork('a3', ['c2'])).ok).toBe(true);
  });

  it('heals a missed free: a claim whose holder no longer holds the item goes stale after the lease', async () => {
    const { service, store, clock } = setup();
    await service.dispatch('a1', { type: 'signIn', at: clock.now() });
    await service.dispatch('a2', { type: 'signIn', at: clock.now() });
    await service.dispatch('a1', assign('c1', clock.now()));
    // a1 releases c1 through a store that does not free (a process that died before the free).
    const loaded = await store.load('a1');
    const released = machine.transition(loaded!.record.state, { type: 'workReleased', workItemId: 'c1', at: clock.now() }).state;
    expect((await store.save('a1', { state: released, seen: [] }, loaded!.version)).ok).toBe(true);
    clock.advance(LEASE_MS);
    expect((await service.dispatch('a2', assign('c1', clock.now()))).rejection).toBeUndefined();
    // A holder whose record holds the item keeps it, however old the claim.
    clock.advance(10 * LEASE_MS);
    expect((await service.dispatch('a1', assign('c1', clock.now()))).rejection?.code).toBe('WORK_ITEM_TAKEN');
  });

  it('frees the claims of the items a repair could not keep', async () => {
    const { service, store, clock } = setup();
    await service.dispatch('a1', { type: 'signIn', at: clock.now() });
    await service.dispatch('a2', { type: 'signIn', at: clock.now() });
    await service.dispatch('a1', assign('c1', clock.now()));
    // a1's record is saved broken: its item c1 with units no machine takes.
    const loaded = await store.load('a1');
    const state = loaded!.record.state;
    await store.save('a1', { ...loaded!.record, state: { ...state, work: [{ ...state.work[0]!, units: -5 }] } }, loaded!.version);
    expect((await service.dispatch('a2', assign('c1', clock.now()))).rejection?.code).toBe('WORK_ITEM_TAKEN');
    const repair = await service.repairAgent('a1');
    expect(repair.repaired).toBe(true);
    expect(repair.state.work).toEqual([]);
    expect((await service.dispatch('a2', assign('c1', clock.now()))).rejection).toBeUndefined(); // at once, no lease to wait
  });

  it('claims the items held in records saved without claims (before the upgrade), and reports an item held twice', async () => {
    const { service, store, clock } = setup();
    const held = (agentId: string, ...items: string[]) =>
      items.reduce(
        (state, workItemId) => machine.transition(state, assign(workItemId, clock.now())).state,
        machine.transition(machine.initialState(agentId), { type: 'signIn', at: clock.now() }).state,
      );
    await store.save('a1', { state: held('a1', 'c1', 'c2'), seen: [] }, 0);
    await store.save('a2', { state: held('a2', 'c2'), seen: [] }, 0);
    await service.dispatch('a3', { type: 'signIn', at: clock.now() });
    expect(await claimHeldWork(store)).toEqual({ agents: 3, claimed: 2, doubles: [{ workItemId: 'c2', holder: 'a1', alsoHeldBy: 'a2' }] });
    expect((await service.dispatch('a3', assign('c1', clock.now()))).rejection?.code).toBe('WORK_ITEM_TAKEN');
    const plain = { load: (id: string) => store.load(id), save: store.save.bind(store), list: () => store.list() };
    await expect(claimHeldWork(plain)).rejects.toThrow('claimHeldWork: the store has no claimWork');
  });

  it('8 concurrent routers racing to give the same items to different agents: never two holders', async () => {
    const { service, clock } = setup();
    const agents = Array.from({ length: 8 }, (_, i) => `agent-${i}`);
    for (const id of agents) await service.dispatch(id, { type: 'signIn', at: clock.now() });
    const items = Array.from({ length: 40 }, (_, i) => `item-${i}`);
    const outcomes = new Map<string, string[]>();
    await Promise.all(
      agents.map(async (agentId, router) => {
        const random = seededRandom(router + 1);
        for (const workItemId of [...items].sort(() => random() - 0.5)) {
          const result = await service.dispatch(agentId, assign(workItemId, clock.now()));
          const code = result.rejection?.code ?? 'assigned';
          outcomes.set(workItemId, [...(outcomes.get(workItemId) ?? []), code]);
          // Now and then one lets go at once, so that items change hands while the others race.
          if (code === 'assigned' && random() < 0.2) await service.dispatch(agentId, { type: 'workReleased', workItemId, at: clock.now() });
          await yieldTurns(Math.floor(random() * 3));
        }
      }),
    );
    const holders = new Map<string, string[]>();
    for (const agentId of agents) {
      for (const item of (await service.get(agentId)).state.work) holders.set(item.workItemId, [...(holders.get(item.workItemId) ?? []), agentId]);
    }
    for (const workItemId of items) {
      expect(holders.get(workItemId)?.length ?? 0, workItemId).toBeLessThanOrEqual(1);
      expect(new Set(outcomes.get(workItemId)), workItemId).toEqual(
        new Set(outcomes.get(workItemId)!.filter((c) => c === 'assigned' || c === 'WORK_ITEM_TAKEN')),
      );
    }
    expect([...outcomes.values()].flat()).toContain('WORK_ITEM_TAKEN');
    expect([...holders.keys()].length).toBeGreaterThan(0);
  });
});
