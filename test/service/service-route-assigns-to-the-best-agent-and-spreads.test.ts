import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService } from '../../src/service/index';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({
  defaultProfile: { capacity: 100, capacityProfiles: { chat: { maxItems: 2 } } },
  agents: { single: { maxWorkItems: 1 } },
});
const service = () => createPresenceService({ machine, store: createMemoryPresenceStore(), scheduler: recordingScheduler() });

describe('route', () => {
  it('assigns the item to the best agent, atomically, and says who', async () => {
    const s = service();
    await s.dispatch('ana', { type: 'signIn', at: 1_000 });
    await s.dispatch('ben', { type: 'signIn', at: 1_000 });
    await s.dispatch('ana', { type: 'workAssigned', workItemId: 'c0', units: 50, at: 1_500 });
    const result = await s.route({ workItemId: 'c1', units: 30, profile: 'chat', at: 2_000 }, { spread: 1 });
    expect(result).toMatchObject({ routed: true, agentId: 'ben', tried: [] });
    expect(result.routed && result.result.state.work).toEqual([{ workItemId: 'c1', units: 30, profile: 'chat', since: 2_000 }]);
    expect((await s.get('ben')).state.work.map((w) => w.workItemId)).toEqual(['c1']);
  });

  it('goes on to the next candidate when one refuses the item, and says who refused with which code', async () => {
    // ana may hold one item at a time, wrap-ups included: the roster (capacity only) offers her, the machine refuses.
    const holdsOne = createPresenceMachine({ defaultProfile: { capacity: 100 }, agents: { ana: { maxHeldItems: 1 } } });
    const s = createPresenceService({ machine: holdsOne, store: createMemoryPresenceStore(), scheduler: recordingScheduler() });
    await s.dispatch('ana', { type: 'signIn', at: 1_000 });
    await s.dispatch('ben', { type: 'signIn', at: 1_000 });
    await s.dispatch('ana', { type: 'workAssigned', workItemId: 'c0', units: 0, at: 1_500 });
    await s.dispatch('ana', { type: 'workReleased', workItemId: 'c0', wrapUpMs: 60_000, at: 1_600 }); // in wrap-up: still held
    const result = await s.route({ workItemId: 'c1', units: 10, at: 2_000 }, { order: 'roundRobin', spread: 1 }); // ana first, by id
    expect(result).toMatchObject({ routed: true, agentId: 'ben', tried: [{ agentId: 'ana', outcome: 'refused', code: 'TOO_MANY_WORK_ITEMS' }] });
  });

  it('stops at an item held already, by the candidate or by another agent: itemTaken, never a second holder', async () => {
    const s = service();
    await s.dispatch('ana', { type: 'signIn', at: 1_000 });
    await s.dispatch('ben', { type: 'signIn', at: 1_000 });
    await s.dispatch('ana', { type: 'workAssigned', workItemId: 'dup', units: 0, at: 1_500 }); // ana holds it already
    // ana first (by id): she holds it.
    expect(await s.route({ workItemId: 'dup', units: 0 }, { order: 'roundRobin', spread: 1 })).toEqual({
      routed: false,
      reason: 'itemTaken',
      tried: [{ agentId: 'ana', outcome: 'refused', code: 'DUPLICATE_WORK_ITEM' }],
    });
    // ben first (ana left out): the item is ana's.
    expect(await s.route({ workItemId: 'dup', units: 0 }, { order: 'roundRobin', spread: 1, exclude: ['ana'] })).toEqual({
      routed: false,
      reason: 'itemTaken',
      tried: [{ agentId: 'ben', outcome: 'refused', code: 'WORK_ITEM_TAKEN' }],
    });
    expect((await s.get('ben')).state.work).toEqual([]);
  });

  it('goes on to the next candidate when one is declined at compare-and-set (filled meanwhile by another process)', async () => {
    const store = createMemoryPresenceStore();
    const here = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    const there = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    await here.dispatch('single', { type: 'signIn', at: 1_000 }); // takes one item only
    await here.dispatch('zoe', { type: 'signIn', at: 1_500 });
    expect((await there.findAvailable({ order: 'longestIdle' })).map((c) => c.agentId)).toEqual(['single', 'zoe']); // its roster, loaded now
    expect(await here.route({ workItemId: 'w1', units: 10 }, { order: 'longestIdle', spread: 1 })).toMatchObject({ agentId: 'single' });
    // The other process still sees single free; the precondition, checked on the stored record, declines.
    const result = await there.route({ workItemId: 'w2', units: 10 }, { order: 'longestIdle', spread: 1 });
    expect(result).toMatchObject({ routed: true, agentId: 'zoe', tried: [{ agentId: 'single', outcome: 'declined' }] });
    expect((await there.get('single')).state.work.map((w) => w.workItemId)).toEqual(['w1']);
  });

  it('tries last the agents this service is giving an item to right now', async () => {
    const s = service();
    await s.dispatch('single', { type: 'signIn', at: 1_000 }); // takes one item only
    await s.dispatch('zoe', { type: 'signIn', at: 1_500 });
    const [one, two] = await Promise.all([
      s.route({ workItemId: 'w1', units: 10 }, { order: 'longestIdle', spread: 1 }),
      s.route({ workItemId: 'w2', units: 10 }, { order: 'longestIdle', spread: 1 }),
    ]);
    expect([one, two].map((r) => (r.routed ? r.agentId : r.reason))).toEqual(['single', 'zoe']);
    expect([...one.tried, ...two.tried]).toEqual([]);
  });

  it('a route that finds nobody says so: noEligibleAgent; one whose candidate holds the item already: itemTaken', async () => {
    const s = service();
    expect(await s.route({ workItemId: 'w1', units: 10 })).toEqual({ routed: false, reason: 'noEligibleAgent', tried: [] });
    await s.dispatch('ana', { type: 'signIn', at: 1_000 });
    await s.dispatch('ana', { type: 'setPresence', presenceId: 'away', at: 1_100 });
    expect(await s.route({ workItemId: 'w1', units: 10 })).toMatchObject({ reason: 'noEligibleAgent' });
    await s.dispatch('ben', { type: 'signIn', at: 1_000 });
    await s.dispatch('ben', { type: 'workAssigned', workItemId: 'w1', units: 10, at: 1_200 });
    expect(await s.route({ workItemId: 'w1', units: 10 })).toEqual({
      routed: false,
      reason: 'itemTaken',
      tried: [{ agentId: 'ben', outcome: 'refused', code: 'DUPLICATE_WORK_ITEM' }],
    });
    // Asked for ana's presence: she is offered (the bases come from the options, the precondition too).
    expect(await s.route({ workItemId: 'w2', units: 10 }, { bases: ['Away'] })).toMatchObject({ routed: true, agentId: 'ana' });
  });

  it('routes again without the agents who missed the item', async () => {
    const s = service();
    for (const id of ['ana', 'ben', 'cleo']) await s.dispatch(id, { type: 'signIn', at: 1_000 });
    const first = await s.route({ workItemId: 'chat-9', units: 10, at: 2_000 }, { spread: 1 });
    expect(first).toMatchObject({ routed: true, agentId: 'ana' });
    // ana missed it: the miss, the item released, and routed again to someone else.
    const miss = async (agentId: string) => {
      await s.dispatch(agentId, { type: 'workMissed', workItemId: 'chat-9', at: 3_000 });
      await s.dispatch(agentId, { type: 'workReleased', workItemId: 'chat-9', at: 3_000 });
    };
    await miss('ana');
    const missed = ['ana'];
    const again = await s.route({ workItemId: 'chat-9', units: 10, at: 3_000 }, { exclude: missed, spread: 1 });
    expect(again).toMatchObject({ routed: true, agentId: 'ben' });
    await miss('ben');
    missed.push('ben');
    expect(await s.route({ workItemId: 'chat-9', units: 10, at: 3_000 }, { exclude: missed, spread: 1 })).toMatchObject({ agentId: 'cleo' });
    await miss('cleo');
    missed.push('cleo');
    expect(await s.route({ workItemId: 'chat-9', units: 10, at: 3_000 }, { exclude: missed })).toMatchObject({ reason: 'noEligibleAgent' });
  });

  it("roundRobin moves the service's rotation on to the agent routed to", async () => {
    const s = service();
    for (const id of ['c', 'a', 'b']) await s.dispatch(id, { type: 'signIn', at: 1_000 });
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await s.route({ workItemId: `w${i}`, units: 1 }, { order: 'roundRobin', spread: 1 });
      if (r.routed) order.push(r.agentId);
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b']);
    // A caller keeping its own rotation (after) leaves the service's alone.
    expect(await s.route({ workItemId: 'x', units: 1 }, { order: 'roundRobin', after: 'a', spread: 1 })).toMatchObject({ agentId: 'b' });
    expect(await s.route({ workItemId: 'y', units: 1 }, { order: 'roundRobin', spread: 1 })).toMatchObject({ agentId: 'c' });
  });

  it('picks the first agent tried at random among the best `spread`', async () => {
    const s = service();
    for (const id of ['a', 'b', 'c', 'd', 'e']) await s.dispatch(id, { type: 'signIn', at: 1_000 });
    const pick = async (random: number, spread?: number) =>
      (await s.route({ workItemId: `w${random}-${spread}`, units: 0 }, { order: 'roundRobin', after: 'e', spread, random: () => random })) as {
        agentId?: string;
      };
    expect((await pick(0, 3)).agentId).toBe('a');
    expect((await pick(0.99, 3)).agentId).toBe('c');
    expect((await pick(0.5)).agentId).toBe('c'); // the default spread, 4: index 2
    expect((await pick(0.99, 1)).agentId).toBe('a');
  });

  it('with a lane, tries first the candidates of its lane, so that routers in different processes go for different agents', async () => {
    const s = service();
    const agents = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
    for (const id of agents) await s.dispatch(id, { type: 'signIn', at: 1_000 });
    const firsts = [];
    for (let index = 0; index < 3; index++) {
      const r = await s.route({ workItemId: `w${index}`, units: 0 }, { order: 'roundRobin', after: 'zz', spread: 1, lane: { index, of: 3 } });
      firsts.push(r.routed ? r.agentId : r.reason);
    }
    // Three lanes, three different agents (without lanes all three would go to agent-0, the first by id).
    expect(new Set(firsts).size).toBe(3);
    await expect(s.route({ workItemId: 'w' }, { lane: { index: 3, of: 3 } })).rejects.toThrow(
      '- options.lane.index: must be a whole number from 0 to of - 1 (got 3)',
    );
  });

  it('refuses a bad item or bad options, naming each field', async () => {
    const s = service();
    await expect(s.route({ workItemId: '', units: -1 }, { spread: 0, mode: 'offer' as never, order: 'random' as never })).rejects.toThrow(
      /route: invalid request:\n- item\.workItemId: must be a non-empty string.*\n- item\.units: must be a finite number ≥ 0 \(got -1\)\n- options\.mode: must be one of assign \(got "offer"\)\n- options\.spread: must be a whole number from 1 to 10000 \(got 0\)/,
    );
    await expect(s.route({ workItemId: 'w' }, { order: 'random' as never })).rejects.toThrow('route: invalid query:\n- order: must be one of');
    for (const [reserveMs, shown] of [
      [-1, '-1'],
      [0.5, '0.5'],
      [60_001, '60001'],
      [Number.NaN, 'NaN'],
      ['500' as never, '"500"'],
    ] as const)
      await expect(s.route({ workItemId: 'w' }, { reserveMs })).rejects.toThrow(
        `- options.reserveMs: must be a whole number of ms from 0 to 60000 (got ${shown})`,
      );
  });

  it('4 routers giving 2,000 items to 100 agents at once are declined at most 5 % as often as they assign', async () => {
    // Agents take two items each (50 units of 100) and the routers keep them about 90 % full, releasing their
    // oldest item as they go: the top candidates are few, and routers that all went for the best would collide.
    const s = service();
    for (let i = 0; i < 100; i++) await s.dispatch(`agent-${String(i).padStart(3, '0')}`, { type: 'signIn', at: 1_000 });
    let assigned = 0;
    let declined = 0;
    const router = async (r: number) => {
      const held: [agentId: string, workItemId: string][] = [];
      for (let i = 0; i < 500; i++) {
        const workItemId = `r${r}-${i}`;
        const result = await s.route({ workItemId, units: 50, at: 2_000 });
        declined += result.tried.filter((t) => t.outcome === 'declined').length;
        if (result.routed) {
          assigned++;
          held.push([result.agentId, workItemId]);
        }
        while (held.length > 45) {
          const [agentId, done] = held.shift()!;
          await s.dispatch(agentId, { type: 'workReleased', workItemId: done, at: 2_000 });
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(router));
    expect(assigned).toBe(2_000);
    expect(declined).toBeLessThanOrEqual(0.05 * assigned);
  });
});
