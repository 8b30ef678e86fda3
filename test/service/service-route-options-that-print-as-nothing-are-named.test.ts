/**
 * A route's options holding values that cannot be turned into text (an object with no prototype, one whose
 * `toString` throws, a BigInt where a name is wanted): each is refused with the TypeError that names the field and
 * what it holds, not with whatever converting it threw; nothing is dispatched.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type RouteOptions } from '../../src/service/index';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const unprintable = (): object => ({
  toString(): string {
    throw new Error('boom');
  },
});

describe('route options that cannot be printed', () => {
  it.each([
    ['reserveMs', { reserveMs: Object.create(null) }, 'options.reserveMs: must be a whole number of ms from 0 to 60000 (got an object)'],
    ['reserveMs', { reserveMs: unprintable() }, 'options.reserveMs: must be a whole number of ms from 0 to 60000 (got an object)'],
    ['spread', { spread: unprintable() }, 'options.spread: must be a whole number from 1 to 10000 (got an object)'],
    ['rounds', { rounds: Object.create(null) }, 'options.rounds: must be a whole number from 1 to 100 (got an object)'],
    ['lane.index', { lane: { index: Object.create(null), of: 2 } }, 'options.lane.index: must be a whole number from 0 to of - 1 (got an object)'],
    ['mode', { mode: Object.create(null) }, '(got an object)'],
    ['mode', { mode: 10n }, '(got a bigint)'],
  ])('%s (%#) is refused naming the field, and nothing is dispatched', async (field, options, message) => {
    const service = createPresenceService({ machine, store: createMemoryPresenceStore(), scheduler: recordingScheduler() });
    await service.dispatch('a', { type: 'signIn', at: 1_000 });
    const error = await service.route({ workItemId: 'w1', units: 10 }, options as unknown as RouteOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain(`- options.${field}: must be`);
    expect((await service.get('a')).state.work).toEqual([]);
    await service.close();
  });
});
