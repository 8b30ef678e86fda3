import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceMachine, type PresenceState } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type DispatchOptions } from '../../src/service/index';
import { assign, signIn } from '../helpers/run';
import { createFlakyStore, recordingScheduler, seededRandom } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const fits = (units: number): DispatchOptions => ({ precondition: (state, m) => m.canTake(state, { units }) });
const unitsHeld = (state: PresenceState) => state.work.reduce((sum, item) => sum + item.units, 0);

describe('dispatch with a precondition', () => {
  it('applies the event when the precondition holds, and declines it (storing nothing) when it does not', async () => {
    const store = createMemoryPresenceStore();
    const service = createPresenceService({ machine, store, scheduler: recordingScheduler() });
    await service.dispatch('a1', signIn(1_000));
    const taken = await service.dispatch('a1', assign('c1', 60, 2_000), fits(60));
    expect(taken.declined).toBeUndefined();
    expect(taken.version).toBe(2);
    const declined = await service.dispatch('a1', { ...assign('c2', 60, 3_000), eventId: 'e-c2' }, fits(60));
    expect(declined).toMatchObject({ declined: true, changed: false, duplicate: false, version: 2 });
    expect(declined.state.work.map((w) => w.workItemId)).toEqual(['c1']);
    expect(declined.presence.presenceId).toBe('busy');
    expect((await store.load('a1'))?.version).toBe(2);
    // Not remembered: once there is room, the same event id is asked again and applies.
    await service.dispatch('a1', { type: 'workReleased', workItemId: 'c1', at: 4_000 });
    const later = await service.dispatch('a1', { ...assign('c2', 60, 5_000), eventId: 'e-c2' }, fits(60));
    expect(later.declined).toBeUndefined();
    expect(later.state.work.map((w) => w.workItemId)).toEqual(['c2']);
  });

  it('is asked about the state with the deadlines due by the event applied (a wrap-up that ended frees its units)', async () => {
    const service = createPresenceService({ machine, scheduler: recordingScheduler() });
    await service.dispatch('a1', signIn(1_000));
    await service.dispatch('a1', assign('c1', 80, 2_000));
    await service.dispatch('a1', { type: 'workReleased', workItemId: 'c1', at: 3_000, wrapUpMs: 10_000 });
    const seen: PresenceState[] = [];
    const during = await service.dispatch('a1', assign('c2', 80, 5_000), {
      precondition: (state, m) => (seen.push(state), m.canTake(state, { units: 80 })),
    });
    expect(during.declined).toBe(true);
    const after = await service.dispatch('a1', assign('c2', 80, 14_000), fits(80));
    expect(after.declined).toBeUndefined();
    expect(after.state.work.map((w) => w.workItemId)).toEqual(['c2']);
    expect(seen[0]?.work[0]?.wrapUpUntil).toBe(13_000);
  });

  it('returns a redelivery as the earlier result without asking the precondition', async () => {
    const service = createPresenceService({ machine, scheduler: recordingScheduler() });
    await service.dispatch('a1', signIn(1_000));
    await service.dispatch('a1', { ...assign('c1', 100, 2_000), eventId: 'x' }, fits(100));
    let asked = 0;
    const again = await service.dispatch('a1', { ...assign('c1', 100, 2_000), eventId: 'x' }, { precondition: () => (asked++, false) });
    expect(again).toMatchObject({ duplicate: true, version: 2 });
    expect(again.declined).toBeUndefined();
    expect(asked).toBe(0);
  });

  it('refuses a precondition that is not a function, naming it', async () => {
    const service = createPresenceService({ machine, scheduler: recordingScheduler() });
    await expect(service.dispatch('a1', signIn(1), { precondition: 'yes' } as unknown as DispatchOptions)).rejects.toThrow(
      'dispatch: options.precondition must be a function (got string)',
    );
  });

  it('never over-assigns when four services race assignments to the same agents through one store with conflicts', async () => {
    const random = seededRandom(99);
    const store = createFlakyStore({ random, maxLatencyTurns: 4, conflictRate: 0.2 });
    const services = Array.from({ length: 4 }, () => createPresenceService({ machine, store, scheduler: recordingScheduler(), maxAttempts: 100 }));
    const agents = ['a1', 'a2', 'a3'];
    for (const id of agents) await services[0]!.dispatch(id, signIn(1_000));
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        services[n % 4]!.dispatch(agents[n % 3]!, assign(`c${n}`, 30, 2_000 + n), fits(30)).then((r) => r.declined === true),
      ),
    );
    for (const id of agents) {
      const state = (await store.peek(id))!.record.state;
      expect(unitsHeld(state), id).toBe(90); // three items of 30 fit in 100, a fourth never
    }
    expect(outcomes.filter((declined) => !declined)).toHaveLength(9);
    expect(store.stats.conflicts).toBeGreaterThan(0);
  });

  it('is asked with the machine in use', async () => {
    const service = createPresenceService({ machine, scheduler: recordingScheduler() });
    let given: PresenceMachine | undefined;
    await service.dispatch('a1', signIn(1), { precondition: (_, m) => ((given = m), true) });
    expect(given).toBe(machine);
  });
});
