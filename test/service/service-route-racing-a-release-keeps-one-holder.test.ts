/**
 * `route` of an item racing the release of that item by the agent holding it, in one service (a memory store):
 * whichever comes first, the item ends with one holder at most, `route`'s answer says which, and no claim is left
 * behind that keeps the item from being routed once nobody holds it.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type PresenceStore } from '../../src/service/index';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const agents = ['a1', 'a2', 'a3'];
const holders = async (store: PresenceStore, workItemId: string) => {
  const out: string[] = [];
  for (const id of agents) if ((await store.load(id))?.record.state.work.some((w) => w.workItemId === workItemId)) out.push(id);
  return out;
};
/** Lets `turns` microtask turns pass. */
const after = async (turns: number) => {
  for (let i = 0; i < turns; i++) await Promise.resolve();
};

describe('route racing a release of the same item', () => {
  it('whatever the interleaving: one holder at most, route’s answer matches it, and a free item routes again', async () => {
    const outcomes = new Set<string>();
    for (let turns = 0; turns < 80; turns++) {
      // Half the runs let the route start that many turns late, half the release.
      const [releaseLate, routeLate] = turns < 40 ? [0, turns] : [turns - 40, 0];
      const store = createMemoryPresenceStore();
      const s = createPresenceService({ machine, store, scheduler: recordingScheduler() });
      for (const id of agents) await s.dispatch(id, { type: 'signIn' });
      await s.dispatch('a1', { type: 'workAssigned', workItemId: 'w1', units: 10 });
      const [released, routed] = await Promise.all([
        after(releaseLate).then(() => s.dispatch('a1', { type: 'workReleased', workItemId: 'w1' })),
        after(routeLate).then(() => s.route({ workItemId: 'w1', units: 10 }, { exclude: ['a1'] })),
      ]);
      expect(released.rejection).toBeUndefined();
      const held = await holders(store, 'w1');
      expect(held.length).toBeLessThanOrEqual(1);
      if (routed.routed) expect(held).toEqual([routed.agentId]);
      else {
        expect(routed.reason).toBe('itemTaken');
        expect(held).toEqual([]);
        // Freed once the release's save is done: the item routes now.
        expect(await s.route({ workItemId: 'w1', units: 10 }, { exclude: ['a1'] })).toMatchObject({ routed: true });
      }
      outcomes.add(routed.routed ? 'routed' : routed.reason);
      await s.close();
    }
    // Both orders were met (the test covers the race, not one side of it).
    expect([...outcomes].sort()).toEqual(['itemTaken', 'routed']);
  });
});
