/**
 * `route` reads each option once, and goes by what it read to the end: moving the shared `roundRobin` rotation
 * after the item is given included. An option read again there (a getter that throws or answers differently the
 * second time) would fail a route whose item was given, or leave the rotation where it was.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type RouteOptions } from '../../src/service/index';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const serviceWith = async (agents: readonly string[]) => {
  const service = createPresenceService({ machine, store: createMemoryPresenceStore(), scheduler: recordingScheduler() });
  for (const id of agents) await service.dispatch(id, { type: 'signIn', at: 1_000 });
  return service;
};
/** Options (the best agent first, no random pick) whose `order` answers `first` once, then `later` (it may throw). */
const orderThatChanges = (first: RouteOptions['order'], later: () => RouteOptions['order']): RouteOptions => {
  let reads = 0;
  return {
    spread: 1,
    get order() {
      return ++reads === 1 ? first : later();
    },
  };
};

describe('route reads its options once, even after the dispatch', () => {
  it('an order whose getter throws when read again: the route that gave the item says so', async () => {
    const service = await serviceWith(['a', 'b']);
    const options = orderThatChanges('roundRobin', () => {
      throw new Error('read twice');
    });
    const result = await service.route({ workItemId: 'w1', units: 10 }, options);
    expect(result).toMatchObject({ routed: true });
    await service.close();
  });

  it('an order that answers roundRobin, then another: the rotation moves on as for any roundRobin route', async () => {
    const service = await serviceWith(['a', 'b', 'c']);
    const first = await service.route(
      { workItemId: 'w1', units: 10 },
      orderThatChanges('roundRobin', () => 'mostFree'),
    );
    const second = await service.route({ workItemId: 'w2', units: 10 }, { order: 'roundRobin', spread: 1 });
    expect([first, second].map((r) => (r.routed ? r.agentId : r.reason))).toEqual(['a', 'b']);
    await service.close();
  });
});
