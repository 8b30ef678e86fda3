/**
 * A hostile caller of `findAvailable` and `route`: getters that throw (or Proxy traps), getters that answer one
 * thing to the check and another afterwards, arrays too long to look at. Each is refused with a TypeError naming the
 * field, before anything is read from the store or dispatched; a field is read once, so what was checked is used.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type RouteItem, type RouteOptions } from '../../src/service/index';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const serviceWith = async (agents: readonly string[]) => {
  const service = createPresenceService({ machine, store: createMemoryPresenceStore(), scheduler: recordingScheduler() });
  for (const id of agents) await service.dispatch(id, { type: 'signIn', at: 1_000 });
  return service;
};
const boom = (): never => {
  throw new Error('boom');
};
const refusal = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('not refused');
};

describe('a getter that throws', () => {
  it('in a findAvailable query is refused with a TypeError naming the field and what it threw', async () => {
    const s = await serviceWith(['a']);
    const error = await refusal(
      s.findAvailable({
        get exclude(): string[] {
          return boom();
        },
        limit: 0,
      }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('- exclude: could not be read: reading it threw (Error: boom)');
    expect(error.message).toContain('- limit: must be a whole number');
  });

  it('in a Proxy query, or in an array of it, is refused the same way', async () => {
    const s = await serviceWith(['a']);
    const trap = new Proxy({}, { get: boom });
    expect(await refusal(s.findAvailable(trap))).toBeInstanceOf(TypeError);
    const list = new Proxy(['a'], { get: (target, key) => (key === 'length' ? 1 : boom()) });
    const error = await refusal(s.findAvailable({ exclude: list }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('- exclude: could not be read');
  });

  it('in a route’s item, options or lane is refused, naming each field, and nothing is dispatched', async () => {
    const s = await serviceWith(['a', 'b']);
    const item = {
      get workItemId(): string {
        return boom();
      },
    } as RouteItem;
    const options = {
      get spread(): number {
        return boom();
      },
      lane: {
        index: 0,
        get of(): number {
          return boom();
        },
      },
    } as RouteOptions;
    const error = await refusal(s.route(item, options));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('- item.workItemId: could not be read');
    expect(error.message).toContain('- options.spread: could not be read');
    expect(error.message).toContain('- options.lane.of: could not be read');
    expect((await s.findAvailable()).map((c) => c.workItems)).toEqual([0, 0]);
  });
});

describe('a getter that answers differently once checked', () => {
  it('does not reach the dispatch: the item routed is the one checked', async () => {
    const s = await serviceWith(['a', 'b']);
    let reads = 0;
    const item = {
      get workItemId() {
        return (reads++ === 0 ? 'w1' : 42) as string;
      },
      units: 10,
    };
    const routed = await s.route(item, { spread: 1 });
    expect(routed).toMatchObject({ routed: true, tried: [] });
    expect(routed.routed && routed.result.state.work.map((w) => w.workItemId)).toEqual(['w1']);
    expect(reads).toBe(1);
  });
});

describe('arrays too long to look at', () => {
  it('are refused by their length, at once, for bases and presenceIds as for exclude', async () => {
    const s = await serviceWith(['a']);
    // Each index of these would be visited by a check over their entries: billions of steps.
    const error = await refusal(s.findAvailable({ bases: new Array(2 ** 32 - 1), presenceIds: new Array(2 ** 32 - 1) }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('- bases: must hold at most 16 base statuses (got 4294967295)');
    expect(error.message).toContain('- presenceIds: must hold at most 1000 presence ids (got 4294967295)');
    const routeError = await refusal(s.route({ workItemId: 'w1' }, { presenceIds: Array.from({ length: 1_001 }, (_, i) => `p${i}`) }));
    expect(routeError.message).toContain('- presenceIds: must hold at most 1000 presence ids (got 1001)');
  });
});
