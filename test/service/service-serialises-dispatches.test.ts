import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { assign, pick, release, run, signIn } from '../helpers/run';
import { createFlakyStore, recordingScheduler, seededRandom } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });

describe('dispatches of one agent', () => {
  it('run one after another in call order, even when the store is slow and calls are not awaited', async () => {
    const store = createFlakyStore({ random: seededRandom(7), maxLatencyTurns: 5 });
    const service = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    const events: PresenceEvent[] = [
      signIn(1_000),
      assign('c1', 30, 1_100),
      assign('c2', 30, 1_200),
      release('c1', 1_300),
      pick('away', 1_400),
      assign('c3', 30, 1_500),
      release('c2', 1_600),
      release('c3', 1_700),
    ];
    const results = await Promise.all(events.map((event) => service.dispatch('agent-7', event)));
    expect(results.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(results.every((r) => r.rejection === undefined)).toBe(true);
    expect(store.stats.conflicts).toBe(0); // serialised in-process: no save ever raced another
    expect(results.at(-1)?.state).toEqual(run(machine, machine.initialState('agent-7', 1_000), events).state);
  });

  it('a failing dispatch does not stop the ones queued after it', async () => {
    const store = createFlakyStore({ random: seededRandom(1), maxLatencyTurns: 2 });
    let failNext = true;
    const failing = {
      ...store,
      async save(...args: Parameters<typeof store.save>) {
        if (failNext) {
          failNext = false;
          throw new Error('database unavailable');
        }
        return store.save(...args);
      },
    };
    const service = createPresenceService({ machine, store: failing, scheduler: recordingScheduler() });
    const first = service.dispatch('agent-7', signIn(1_000));
    const second = service.dispatch('agent-7', assign('c1', 30, 1_100));
    await expect(first).rejects.toThrow('database unavailable');
    await expect(second).resolves.toMatchObject({ version: 1, state: { signedIn: false, work: [{ workItemId: 'c1' }] } });
  });
});

describe('dispatches of different agents', () => {
  it('run concurrently: a slow agent does not hold up another', async () => {
    let release1: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release1 = resolve));
    const store = createFlakyStore({ random: seededRandom(3) });
    const gated = {
      ...store,
      async load(agentId: string) {
        if (agentId === 'slow') await gate;
        return store.load(agentId);
      },
    };
    const service = createPresenceService({ machine, store: gated, scheduler: recordingScheduler() });
    const slow = service.dispatch('slow', signIn(1_000));
    const fast = await service.dispatch('fast', signIn(1_000));
    expect(fast.version).toBe(1);
    release1();
    expect((await slow).version).toBe(1);
  });
});
