import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceMachine, type Transition } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService } from '../../src/service/index';
import { assign, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

/**
 * A machine whose deadlines the test chooses: each event's transition gets the deadline `deadlines[event.at]`
 * when there is one, so the timer calls are easy to predict. It records the ticks it is sent.
 */
function machineWithDeadlines(deadlines: Record<number, number>): PresenceMachine & { ticks: unknown[] } {
  const inner = createPresenceMachine({});
  const ticks: unknown[] = [];
  return {
    ...inner,
    ticks,
    transition(state, event): Transition {
      if ((event as { type: string }).type === 'tick') {
        ticks.push(event);
        return { state: { ...state, lastAt: Math.max(state.lastAt, event.at) }, presence: inner.presenceOf(state), changed: false };
      }
      const result = inner.transition(state, event);
      const deadline = deadlines[event.at];
      return deadline === undefined ? result : { ...result, nextDeadline: deadline };
    },
  };
}

describe('the agent timer', () => {
  it('is armed at nextDeadline after an applied event, replaced by the next one, cancelled when there is none', async () => {
    const scheduler = recordingScheduler();
    const machine = machineWithDeadlines({ 1_000: 31_000, 2_000: 32_000 });
    const service = createPresenceService({ machine, scheduler });
    await service.dispatch('agent-7', signIn(1_000));
    await service.dispatch('agent-7', assign('c1', 10, 2_000));
    expect(scheduler.timers.get('agent-7')?.at).toBe(32_000);
    await service.dispatch('agent-7', assign('c2', 10, 3_000));
    expect(scheduler.calls).toEqual(['set agent-7 31000', 'set agent-7 32000', 'cancel agent-7']);
    expect(scheduler.timers.size).toBe(0);
  });

  it('is left as it was by a refused event, a duplicate and a malformed one', async () => {
    const scheduler = recordingScheduler();
    const machine = machineWithDeadlines({ 1_000: 31_000 });
    const service = createPresenceService({ machine, scheduler });
    await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'login' });
    await service.dispatch('agent-7', { type: 'workReleased', workItemId: 'never', at: 1_500 });
    await service.dispatch('agent-7', { type: 'workReleased', workItemId: 'never', at: 1_600, eventId: 'r1' });
    await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'login' });
    await service.dispatch('agent-7', { type: 'signIn', at: -5 });
    expect(scheduler.calls).toEqual(['set agent-7 31000']);
  });

  it('when it fires, dispatches a tick at the deadline through the agent queue, with an id that makes repeated ticks one', async () => {
    const scheduler = recordingScheduler();
    const machine = machineWithDeadlines({ 1_000: 31_000 });
    const service = createPresenceService({ machine, scheduler });
    await service.dispatch('agent-7', signIn(1_000));
    scheduler.fire('agent-7');
    await service.close(); // waits for the tick's dispatch
    expect(machine.ticks).toEqual([{ type: 'tick', at: 31_000, eventId: 'tick@31000' }]);
    expect((await service.get('agent-7')).state.lastAt).toBe(31_000);
  });

  it('reports a tick that fails to onError', async () => {
    const scheduler = recordingScheduler();
    const machine = machineWithDeadlines({ 1_000: 31_000 });
    const errors: string[] = [];
    let failLoads = false;
    const service = createPresenceService({
      machine,
      scheduler,
      store: (() => {
        const rows = new Map<string, { record: never; version: number }>();
        return {
          load: async (id: string) => {
            if (failLoads) throw new Error('store down');
            return rows.get(id);
          },
          save: async (id: string, record: never, expected: number) => {
            rows.set(id, { record, version: expected + 1 });
            return { ok: true as const, version: expected + 1 };
          },
          list: async function* () {},
        };
      })(),
      onError: (error, context) => errors.push(`${context.kind} ${context.agentId} ${(error as Error).message}`),
    });
    await service.dispatch('agent-7', signIn(1_000));
    failLoads = true;
    scheduler.fire('agent-7');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toEqual(['tick agent-7 store down']);
  });

  it('is cancelled by close, and a dispatch after close is refused', async () => {
    const scheduler = recordingScheduler();
    const service = createPresenceService({ machine: machineWithDeadlines({ 1_000: 31_000 }), scheduler });
    await service.dispatch('agent-7', signIn(1_000));
    await service.close();
    expect(scheduler.calls).toEqual(['set agent-7 31000', 'cancel agent-7']);
    await expect(service.dispatch('agent-7', signIn(2_000))).rejects.toThrow('dispatch: the presence service is closed');
  });
});

describe('timers after a restart', () => {
  it('are armed by armTimers for every stored agent with a pending deadline, and a fired one expires the session', async () => {
    const real = createPresenceMachine({ defaultProfile: { sessionTtlMs: 60_000 } });
    const store = createMemoryPresenceStore();
    const before = createPresenceService({ machine: real, store, scheduler: recordingScheduler() });
    await before.dispatch('agent-1', { type: 'signIn', at: 1_000 });
    await before.dispatch('agent-2', { type: 'signIn', at: 2_000 });
    await before.dispatch('agent-2', { type: 'signOut', at: 3_000 });
    await before.close();

    const scheduler = recordingScheduler();
    const after = createPresenceService({ machine: real, store, scheduler });
    expect(await after.armTimers()).toBe(1);
    expect(scheduler.calls).toEqual(['set agent-1 61000']);
    scheduler.fire('agent-1');
    await after.close();
    expect((await after.get('agent-1')).presence).toMatchObject({ presenceId: 'offline', source: 'expired', since: 61_000 });
  });
});
