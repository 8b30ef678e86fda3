import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import {
  createMemoryHistoryStore,
  createMemoryPresenceStore,
  createPresenceService,
  type PresenceChange,
  type PresenceServiceOptions,
  type PresenceStore,
  type ServiceErrorContext,
} from '../../src/service/index';
import { manualClock, recordingPublisher, recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100, reconnectGraceMs: 60_000 } });
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const START = Date.UTC(2026, 0, 5, 9);

function setup(options: Partial<PresenceServiceOptions> = {}) {
  const store = createMemoryPresenceStore();
  const history = createMemoryHistoryStore();
  const clock = manualClock(START);
  const scheduler = recordingScheduler();
  const errors: [unknown, ServiceErrorContext][] = [];
  const service = createPresenceService({ machine, store, history, clock, scheduler, onError: (error, context) => errors.push([error, context]), ...options });
  /** A dispatch at the clock's time. */
  const send = (agentId: string, event: Record<string, unknown>) => service.dispatch(agentId, { at: clock.now(), ...event } as never);
  return { store, history, clock, scheduler, errors, service, send };
}

/** An agent's 8-hour day: sign in, a chat, sign out; the clock ends at the sign-out. */
async function day(send: ReturnType<typeof setup>['send'], clock: ReturnType<typeof manualClock>, agentId: string) {
  await send(agentId, { type: 'signIn', eventId: `${agentId}-in` });
  clock.advance(4 * 60 * MINUTE);
  await send(agentId, { type: 'workAssigned', workItemId: 'c1', units: 40 });
  clock.advance(10 * MINUTE);
  await send(agentId, { type: 'workReleased', workItemId: 'c1' });
  clock.advance(4 * 60 * MINUTE);
  await send(agentId, { type: 'signOut', eventId: `${agentId}-out` });
}

describe('forgetting agents signed out for forgetSignedOutAfterMs (default 24 hours)', () => {
  it('drops a signed-out agent from the store, the history and the roster; it reads back as never seen and starts again at version 1', async () => {
    const { store, history, clock, service, send } = setup();
    await day(send, clock, 'agent-gone');
    await send('agent-working', { type: 'signIn' });
    await send('agent-working', { type: 'workAssigned', workItemId: 'c9', units: 40 });
    expect(await service.rebuildRoster()).toBe(2);
    const signedOutAt = clock.now();

    clock.advance(DAY - 1);
    expect(await service.forgetSignedOut()).toBe(0);
    clock.advance(1);
    expect(await service.forgetSignedOut()).toBe(1);

    const gone = await service.get('agent-gone');
    expect(gone).toMatchObject({ version: 0, presence: { presenceId: 'offline', base: 'Offline' } });
    expect(gone.state).toEqual(machine.initialState('agent-gone'));
    expect(store.size).toBe(1);
    expect(await store.load('agent-gone')).toBeUndefined();
    expect(history.size).toBe(1);
    expect(history.read('agent-gone', { from: 0, to: Infinity })).toEqual([]);
    expect(await service.rebuildRoster()).toBe(1);
    const window = { from: signedOutAt - 9 * 60 * MINUTE, to: signedOutAt };
    expect((await service.timeInStatus('agent-gone', window)).untracked).toBe(window.to - window.from);

    // The one signed in, holding work, is kept with everything it had.
    expect(await service.get('agent-working')).toMatchObject({ version: 2, presence: { base: 'Busy' } });
    expect(history.read('agent-working', { from: 0, to: Infinity })).toHaveLength(2);

    const back = await send('agent-gone', { type: 'signIn', eventId: 'agent-gone-in' }); // the id is long past the dedup window
    expect(back).toMatchObject({ version: 1, changed: true, duplicate: false, presence: { presenceId: 'available' } });
  });

  it('keeps agents signed in, holding work (signed out or not), with a deadline pending, or with an event id in the dedup window', async () => {
    const { store, clock, service, send } = setup({ forgetSignedOutAfterMs: 0 });
    await send('signed-in', { type: 'signIn' });
    await send('signed-out-holding-work', { type: 'signIn' });
    await send('signed-out-holding-work', { type: 'workAssigned', workItemId: 'c1', units: 40 });
    await send('signed-out-holding-work', { type: 'signOut' });
    await send('disconnected', { type: 'signIn' });
    await send('disconnected', { type: 'disconnected', sessionId: 'default' }); // a reconnect grace of a minute
    await send('recent-id', { type: 'signIn' });
    await send('recent-id', { type: 'signOut', eventId: 'out-1' });
    expect((await service.get('signed-out-holding-work')).state).toMatchObject({ signedIn: false, work: [{ workItemId: 'c1' }] });

    clock.advance(15 * MINUTE); // the dedup window's last millisecond: the id still counts
    expect(await service.forgetSignedOut()).toBe(0);
    clock.advance(1);
    expect(await service.forgetSignedOut()).toBe(1); // recent-id
    expect(await store.load('recent-id')).toBeUndefined();
    expect(store.size).toBe(3);
    // The grace ended while nobody ticked the agent: its deadline is still pending in the stored state.
    expect((await store.load('disconnected'))?.record.state.reconnect).not.toBeNull();
  });

  it('keeps an agent whose change is still waiting to be delivered, and forgets it once delivered', async () => {
    const publisher = recordingPublisher();
    let down = true;
    const { store, clock, service, send, errors } = setup({
      publisher: { publish: (change) => (down ? Promise.reject(new Error('broker down')) : publisher.publish(change)) },
    });
    await send('agent-7', { type: 'signIn' });
    await send('agent-7', { type: 'signOut' });
    expect(errors.map(([, context]) => context.kind)).toEqual(['publish', 'publish']);
    clock.advance(DAY);
    expect(await service.forgetSignedOut()).toBe(0);
    down = false;
    expect(await service.flush()).toBe(0);
    expect(publisher.byAgent('agent-7').map((c) => c.version)).toEqual([1, 2]);
    expect(await service.forgetSignedOut()).toBe(1);
    expect(store.size).toBe(0);
  });

  it('forgets the versions it told listeners about, so a returning agent version 1 reaches them again', async () => {
    const { clock, service, send } = setup();
    const heard: string[] = [];
    service.subscribe((change) => heard.push(`${change.agentId} v${change.version} ${change.to.presenceId}`));
    await send('agent-7', { type: 'signIn' });
    await send('agent-7', { type: 'signOut' });
    const signIn = { agentId: 'agent-7', version: 1, state: machine.transition(machine.initialState('agent-7'), { type: 'signIn', at: 1 }).state };
    const change: PresenceChange = {
      agentId: 'agent-7',
      from: machine.presenceOf(machine.initialState('agent-7')),
      to: machine.presenceOf(signIn.state),
      at: 1,
      source: 'capacity',
      version: 1,
    };
    expect(service.ingest({ ...signIn, change })).toBe(false); // version 1 was told already
    clock.advance(DAY);
    expect(await service.forgetSignedOut()).toBe(1);
    expect(service.ingest({ ...signIn, change })).toBe(true);
    expect(heard).toEqual(['agent-7 v1 available', 'agent-7 v2 offline', 'agent-7 v1 available']);
  });

  it('forgets by itself at most once an hour of its clock, as dispatches come in; close waits for it', async () => {
    const { store, clock, service, send } = setup({ forgetSignedOutAfterMs: 10 * MINUTE });
    await send('agent-7', { type: 'signIn' });
    await send('agent-7', { type: 'signOut' });
    clock.advance(59 * MINUTE);
    await send('agent-8', { type: 'signIn' });
    expect(store.size).toBe(2); // no check before an hour has passed since the service started
    clock.advance(MINUTE);
    await send('agent-8', { type: 'heartbeat', sessionId: 'default' });
    await service.close();
    expect(store.size).toBe(1);
    expect(await store.load('agent-7')).toBeUndefined();
  });

  it('never forgets with Infinity, nor with a store that cannot forget', async () => {
    const never = setup({ forgetSignedOutAfterMs: Infinity });
    await never.send('agent-7', { type: 'signIn' });
    await never.send('agent-7', { type: 'signOut' });
    never.clock.advance(365 * DAY);
    expect(await never.service.forgetSignedOut()).toBe(0);
    expect(never.store.size).toBe(1);

    const inner = createMemoryPresenceStore();
    const plain: PresenceStore = { load: (id) => inner.load(id), save: (...args) => inner.save(...args), list: () => inner.list() };
    const withoutForget = setup({ store: plain });
    await withoutForget.send('agent-7', { type: 'signIn' });
    await withoutForget.send('agent-7', { type: 'signOut' });
    withoutForget.clock.advance(365 * DAY);
    expect(await withoutForget.service.forgetSignedOut()).toBe(0);
    expect(inner.size).toBe(1);
    expect(withoutForget.history.size).toBe(1);
  });

  it('loses no event dispatched while it forgets: the agent is forgotten before the event or kept', async () => {
    /** A memory store whose `forget` and `save` wait for a gate while one is set. */
    const gatedStore = () => {
      const inner = createMemoryPresenceStore();
      const gates: { forget?: Promise<void>; save?: Promise<void> } = {};
      const calls: string[] = [];
      const store: PresenceStore & { forget: NonNullable<PresenceStore['forget']> } = {
        load: (agentId) => inner.load(agentId),
        list: () => inner.list(),
        async save(...args) {
          calls.push('save');
          await gates.save;
          return inner.save(...args);
        },
        async forget(...args) {
          calls.push('forget');
          await gates.forget;
          return inner.forget(...args);
        },
      };
      return { store, inner, gates, calls };
    };
    const opened = () => {
      let open = () => {};
      const gate = new Promise<void>((resolve) => (open = resolve));
      return { gate, open };
    };
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
      expect(check()).toBe(true);
    };

    // The event comes while the agent is being forgotten: it waits, and applies to an agent never seen.
    {
      const { store, inner, gates, calls } = gatedStore();
      const { clock, service, send } = setup({ store });
      await send('agent-7', { type: 'signIn' });
      await send('agent-7', { type: 'signOut' });
      clock.advance(DAY);
      const { gate, open } = opened();
      gates.forget = gate;
      const forgetting = service.forgetSignedOut();
      await until(() => calls.includes('forget'));
      const signIn = send('agent-7', { type: 'signIn' });
      open();
      expect(await forgetting).toBe(1);
      expect(await signIn).toMatchObject({ version: 1, state: { signedIn: true } });
      expect((await inner.load('agent-7'))?.record.state.signedIn).toBe(true);
    }
    // The agent is being saved signed in when the sweep lists it signed out: checked again after the save, it is kept.
    {
      const { store, inner, gates, calls } = gatedStore();
      const { clock, service, send } = setup({ store });
      await send('agent-7', { type: 'signIn' });
      await send('agent-7', { type: 'signOut' });
      clock.advance(DAY);
      const { gate, open } = opened();
      gates.save = gate;
      calls.length = 0;
      const signIn = send('agent-7', { type: 'signIn' });
      await until(() => calls.includes('save'));
      const forgetting = service.forgetSignedOut();
      await new Promise((resolve) => setImmediate(resolve));
      open();
      expect(await forgetting).toBe(0);
      expect(await signIn).toMatchObject({ version: 3, state: { signedIn: true } });
      expect(calls).not.toContain('forget');
      expect((await inner.load('agent-7'))?.version).toBe(3);
    }
  });

  it('reports a failure to forget one agent and goes on with the others', async () => {
    const { store, history, clock, service, send, errors } = setup();
    const forget = history.forget.bind(history);
    history.forget = (agentId: string) => {
      if (agentId === 'agent-1') throw new Error('history unavailable');
      return forget(agentId);
    };
    await send('agent-1', { type: 'signIn' });
    await send('agent-1', { type: 'signOut' });
    await send('agent-2', { type: 'signIn' });
    await send('agent-2', { type: 'signOut' });
    clock.advance(DAY);
    expect(await service.forgetSignedOut()).toBe(1);
    expect(errors.map(([error, context]) => `${context.kind} ${context.agentId} ${(error as Error).message}`)).toEqual(['forget agent-1 history unavailable']);
    expect(store.size).toBe(0); // gone from the store first: the store is what the service reads
    expect(history.size).toBe(1);
  });

  it('checks the option, naming it', () => {
    expect(() => createPresenceService({ machine, forgetSignedOutAfterMs: -1 })).toThrow(
      'forgetSignedOutAfterMs: must be a finite number ≥ 0 and ≤ 31536000000 or Infinity (got -1)',
    );
    expect(() => createPresenceService({ machine, forgetSignedOutAfterMs: Number.NaN })).toThrow('forgetSignedOutAfterMs');
  });
});
