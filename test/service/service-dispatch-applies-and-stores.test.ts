import { describe, expect, it, vi } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryPresenceStore, createPresenceService, type PresenceChange } from '../../src/service/index';
import { assign, pick, release, run, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({
  presences: [{ id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' }],
  agents: { 'agent-7': { capacity: 60, maxWorkItems: 3 } },
});
const setup = () => {
  const store = createMemoryPresenceStore();
  const service = createPresenceService({ machine, store, scheduler: recordingScheduler() });
  return { store, service };
};

describe('service.dispatch', () => {
  it('applies the event with the machine, stores the state and returns the transition with the new version', async () => {
    const { store, service } = setup();
    const first = await service.dispatch('agent-7', signIn(1_000));
    expect(first).toMatchObject({ changed: true, version: 1, duplicate: false, presence: { presenceId: 'available', since: 1_000 } });
    const second = await service.dispatch('agent-7', assign('chat-1', 40, 2_000));
    expect(second).toMatchObject({ changed: true, version: 2, presence: { presenceId: 'busy', source: 'capacity' } });
    const expected = run(machine, machine.initialState('agent-7', 1_000), [signIn(1_000), assign('chat-1', 40, 2_000)]);
    expect(second.state).toEqual(expected.state);
    expect((await store.load('agent-7'))?.record.state).toEqual(expected.state);
    expect((await store.load('agent-7'))?.version).toBe(2);
  });

  it('starts an agent never seen at the time of its first event, signed out', async () => {
    const { service } = setup();
    const result = await service.dispatch('new-agent', assign('case-1', 10, 5_000));
    expect(result.state).toMatchObject({ signedIn: false, presenceId: 'offline', work: [{ workItemId: 'case-1', units: 10, since: 5_000 }] });
    expect(result.changed).toBe(false);
  });

  it('stores nothing for a refused event without an eventId and returns the rejection', async () => {
    const { store, service } = setup();
    await service.dispatch('agent-7', signIn(1_000));
    const refused = await service.dispatch('agent-7', release('never-held', 2_000));
    expect(refused.rejection?.code).toBe('UNKNOWN_WORK_ITEM');
    expect(refused.version).toBe(1);
    expect((await store.load('agent-7'))?.version).toBe(1);
  });

  it('stores nothing for a malformed event, even with an eventId', async () => {
    const { store, service } = setup();
    const bad = { type: 'workAssigned', workItemId: 'c1', units: -5, at: 1, eventId: 'e-1' } as never;
    const result = await service.dispatch('agent-7', bad);
    expect(result.rejection?.code).toBe('INVALID_EVENT');
    expect(result.version).toBe(0);
    expect(await store.load('agent-7')).toBeUndefined();
  });

  it('refuses a malformed agent id with an error naming it, before touching the store', async () => {
    const { store, service } = setup();
    const load = vi.spyOn(store, 'load');
    await expect(service.dispatch('', signIn(1))).rejects.toThrow('dispatch: agentId must be a non-empty string');
    await expect(service.dispatch(42 as never, signIn(1))).rejects.toThrow(TypeError);
    await expect(service.get('   ')).rejects.toThrow('get: agentId must be a non-empty string');
    expect(load).not.toHaveBeenCalled();
  });
});

describe('service.get', () => {
  it('reads the stored state, its resolved presence and version', async () => {
    const { service } = setup();
    await service.dispatch('agent-7', signIn(1_000));
    await service.dispatch('agent-7', pick('away-training', 2_000));
    const agent = await service.get('agent-7');
    expect(agent).toMatchObject({ agentId: 'agent-7', version: 2, presence: { presenceId: 'away-training', text: 'In training', source: 'manual' } });
    expect(agent.state.choice).toEqual({ presenceId: 'away-training', base: 'Away', source: 'manual' });
  });

  it('gives an agent never stored as signed out, Offline, version 0', async () => {
    const { store, service } = setup();
    const agent = await service.get('nobody');
    expect(agent).toMatchObject({ version: 0, presence: { presenceId: 'offline', base: 'Offline' }, state: { signedIn: false } });
    expect(store.size).toBe(0);
  });
});

describe('service.subscribe', () => {
  it('calls each listener with every presence change, and stops when unsubscribed', async () => {
    const { service } = setup();
    const seen: PresenceChange[] = [];
    const stop = service.subscribe((change) => seen.push(change));
    await service.dispatch('agent-7', signIn(1_000));
    await service.dispatch('agent-7', assign('chat-1', 10, 2_000));
    await service.dispatch('agent-7', assign('chat-2', 10, 3_000)); // still Busy: no change
    stop();
    await service.dispatch('agent-7', pick('away', 4_000));
    expect(seen).toEqual([
      {
        agentId: 'agent-7',
        from: expect.objectContaining({ presenceId: 'offline' }),
        to: expect.objectContaining({ presenceId: 'available', since: 1_000 }),
        at: 1_000,
        source: 'capacity',
        version: 1,
      },
      expect.objectContaining({ at: 2_000, source: 'capacity', version: 2, to: expect.objectContaining({ presenceId: 'busy' }) }),
    ]);
  });

  it('carries the eventId of the event that made the change', async () => {
    const { service } = setup();
    const seen: PresenceChange[] = [];
    service.subscribe((change) => seen.push(change));
    await service.dispatch('agent-7', { type: 'signIn', at: 1_000, eventId: 'login-81' });
    expect(seen[0]?.eventId).toBe('login-81');
  });
});

describe('createPresenceService', () => {
  it('refuses bad options, naming each', () => {
    expect(() => createPresenceService({ machine, maxAttempts: 0, dedupWindowMs: -1, dedupMaxIds: 1.5 })).toThrow(
      [
        'createPresenceService: invalid options:',
        '- maxAttempts: must be a whole number ≥ 1 (got 0)',
        '- dedupMaxIds: must be a whole number ≥ 0 (got 1.5)',
        '- dedupWindowMs: must be a finite number ≥ 0 and ≤ 31536000000 (got -1)',
      ].join('\n'),
    );
    expect(() => createPresenceService({} as never)).toThrow('- machine: must be a presence machine');
  });
});
