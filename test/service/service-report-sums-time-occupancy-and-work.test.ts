import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryHistoryStore, createPresenceService, type HistoryStore } from '../../src/service/index';
import { manualClock } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 }, agents: { a2: { capacity: 50 } } });

/** a1: signs in at 1 s, takes two chats of 50 units (full at 3 s), misses and declines an offer, signs out at 9 s. a2: signs in at 4 s full. */
async function shift(history: HistoryStore = createMemoryHistoryStore()) {
  const service = createPresenceService({ machine, history, clock: manualClock(20_000) });
  const send = (agentId: string, event: Record<string, unknown>) => service.dispatch(agentId, event as never);
  await send('a1', { type: 'signIn', at: 1_000 });
  await send('a1', { type: 'workAssigned', workItemId: 'c1', units: 50, at: 2_000 });
  await send('a1', { type: 'workAssigned', workItemId: 'c2', units: 50, at: 3_000 });
  const refused = await send('a1', { type: 'workAssigned', workItemId: 'c2', units: 50, at: 3_500 }); // held already
  expect(refused.rejection?.code).toBe('DUPLICATE_WORK_ITEM');
  await send('a1', { type: 'workReleased', workItemId: 'c2', at: 5_000 });
  await send('a1', { type: 'heartbeat', at: 5_500 });
  await send('a1', { type: 'workMissed', workItemId: 'o1', at: 6_000 });
  await send('a1', { type: 'workRejected', workItemId: 'o2', at: 6_500 });
  await send('a1', { type: 'workReleased', workItemId: 'c1', at: 7_000 });
  await send('a1', { type: 'signOut', at: 9_000 });
  await send('a2', { type: 'signIn', at: 4_000 });
  await send('a2', { type: 'workAssigned', workItemId: 'c3', units: 50, at: 4_000 });
  return service;
}

describe('service.report', () => {
  it('gives each agent time per presence and base, time signed in, occupancy weighted by units, and work counts', async () => {
    const service = await shift();
    const report = await service.report({ agentIds: ['a1', 'a2'], from: 0, to: 10_000 });
    const [a1, a2] = report.agents;
    expect(a1).toMatchObject({ agentId: 'a1', from: 0, to: 10_000, signedInMs: 8_000, work: { assigned: 2, released: 2, missed: 1, rejected: 1 } });
    expect(a1!.byBase).toMatchObject({ Available: 1_000 + 2_000, Busy: 1_000 + 2_000, BusyDND: 2_000 });
    // Units held while signed in: 50 for 1 s, 100 for 2 s, 50 for 2 s; over 100 units for 8 s.
    expect(a1!.unitMs).toEqual({ used: 350_000, capacity: 800_000 });
    expect(a1!.occupancy).toBeCloseTo(0.4375, 10);
    expect(a2).toMatchObject({ agentId: 'a2', signedInMs: 6_000, occupancy: 1, work: { assigned: 1, released: 0, missed: 0, rejected: 0 } });
    expect(report.totals).toMatchObject({ agents: 2, signedInMs: 14_000, work: { assigned: 3, released: 2, missed: 1, rejected: 1 } });
    expect(report.totals.occupancy).toBeCloseTo(650_000 / 1_100_000, 10);
    expect(report.totals.byBase.BusyDND).toBe(2_000 + 6_000);
  });

  it('clips to the window: counts the events in it (from included, to not) and the units held during it', async () => {
    const service = await shift();
    const { agents } = await service.report({ agentIds: ['a1'], from: 2_500, to: 6_000 });
    expect(agents[0]!.work).toEqual({ assigned: 1, released: 1, missed: 0, rejected: 0 });
    expect(agents[0]!.unitMs).toEqual({ used: 25_000 + 200_000 + 50_000, capacity: 350_000 });
    expect(agents[0]!.signedInMs).toBe(3_500);
  });

  it('reports every agent of the store when no agentIds are given, once each', async () => {
    const service = await shift();
    const report = await service.report({ from: 0, to: 10_000 });
    expect(report.agents.map((a) => a.agentId).sort()).toEqual(['a1', 'a2']);
    expect(report.totals.work?.assigned).toBe(3);
  });

  it('reports an agent it never saw as untracked, with nothing signed in and no occupancy', async () => {
    const service = await shift();
    const { agents, totals } = await service.report({ agentIds: ['nobody', 'nobody'], from: 0, to: 10_000 });
    expect(agents).toHaveLength(1);
    expect(agents[0]).toMatchObject({ agentId: 'nobody', untracked: 10_000, signedInMs: 0, work: { assigned: 0 } });
    expect(agents[0]!.occupancy).toBeUndefined();
    expect(totals.occupancy).toBeUndefined();
  });

  it('gives time only with a history that keeps no work entries', async () => {
    const inner = createMemoryHistoryStore();
    const service = await shift({ append: (change) => inner.append(change), read: (agentId, window) => inner.read(agentId, window) });
    const { agents, totals } = await service.report({ agentIds: ['a1'], from: 0, to: 10_000 });
    expect(agents[0]!.signedInMs).toBe(8_000);
    expect(agents[0]!.work).toBeUndefined();
    expect(agents[0]!.occupancy).toBeUndefined();
    expect(totals.work).toBeUndefined();
  });

  it('counts a release whose wrap-up keeps the units, and the wrap-up ended by its deadline frees them', async () => {
    const history = createMemoryHistoryStore();
    const service = createPresenceService({ machine, history, clock: manualClock(20_000) });
    await service.dispatch('a1', { type: 'signIn', at: 1_000 });
    await service.dispatch('a1', { type: 'workAssigned', workItemId: 'c1', units: 40, at: 1_000 });
    await service.dispatch('a1', { type: 'workReleased', workItemId: 'c1', wrapUpMs: 2_000, at: 3_000 });
    await service.dispatch('a1', { type: 'tick', at: 5_000 });
    const entries = await history.readWork!('a1', { from: 0, to: 10_000 });
    expect(entries.map(({ kind, used, at }) => ({ kind, used, at }))).toEqual([
      { kind: 'assigned', used: 40, at: 1_000 },
      { kind: 'released', used: 40, at: 3_000 },
      { kind: undefined, used: 0, at: 5_000 },
    ]);
    const { agents } = await service.report({ agentIds: ['a1'], from: 1_000, to: 6_000 });
    expect(agents[0]!.unitMs).toEqual({ used: 40 * 4_000, capacity: 100 * 5_000 });
  });

  it('names each bad field of the request', async () => {
    const service = await shift();
    await expect(service.report({ from: 10, to: 5 })).rejects.toThrow('report: to must not be before from (10) (got 5)');
    await expect(service.report({ from: Number.NaN, to: 5 })).rejects.toThrow(/report: from .*NaN/);
    await expect(service.report(null as never)).rejects.toThrow('report: the request must be an object like { from, to } (got null)');
    await expect(service.report({ agentIds: 'a1' as never, from: 0, to: 1 })).rejects.toThrow(
      /agentIds must be an array of agent ids, or left out for every agent \(got "a1"\)/,
    );
    await expect(service.report({ agentIds: ['a1', '', 7 as never], from: 0, to: 1 })).rejects.toThrow(/agentIds\[1\] .*; agentIds\[2\] /);
    await expect(service.report({ agentIds: Array.from({ length: 10_001 }, (_, i) => `a${i}`), from: 0, to: 1 })).rejects.toThrow(
      'report: agentIds must name at most 10000 agents (got 10001): ask for the team in parts',
    );
  });
});
