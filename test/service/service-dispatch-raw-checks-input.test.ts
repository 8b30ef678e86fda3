import { describe, expect, it, vi } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { PresenceEventError } from '../../src/schema/index';
import { createMemoryPresenceStore, createPresenceService } from '../../src/service/index';
import { recordingScheduler } from '../helpers/service';

const setup = () => {
  const store = createMemoryPresenceStore();
  const service = createPresenceService({ machine: createPresenceMachine({}), store, scheduler: recordingScheduler() });
  return { store, service, save: vi.spyOn(store, 'save'), load: vi.spyOn(store, 'load') };
};

/** The error `dispatchRaw` rejects with. */
async function errorOf(promise: Promise<unknown>): Promise<PresenceEventError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PresenceEventError);
    return error as PresenceEventError;
  }
  throw new Error('dispatchRaw accepted the input');
}

describe('service.dispatchRaw', () => {
  it('applies a valid event given as parsed JSON or as JSON text, dropping unknown fields', async () => {
    const { service, store } = setup();
    await service.dispatchRaw('agent-7', { type: 'signIn', at: 1_000, extra: 'ignored' });
    const result = await service.dispatchRaw('agent-7', '{"type":"workAssigned","workItemId":"c1","units":40,"at":2000,"eventId":"e-2"}');
    expect(result).toMatchObject({ version: 2, presence: { presenceId: 'busy' } });
    expect((await store.load('agent-7'))?.record.seen.map((s) => s.eventId)).toEqual(['e-2']);
  });

  it('rejects malformed input with an error naming each bad field, and neither loads nor stores anything', async () => {
    const { service, save, load } = setup();
    const error = await errorOf(service.dispatchRaw('agent-7', { type: 'workAssigned', workItemId: '', units: -1, at: 5 }));
    expect(error.issues).toEqual([
      { path: ['workItemId'], message: 'must be a non-empty string of ≤ 256 characters (got "")' },
      { path: ['units'], message: 'must be a finite number ≥ 0 (got -1)' },
    ]);
    expect(error.message).toContain('- units: must be a finite number ≥ 0 (got -1)');
    expect(save).not.toHaveBeenCalled();
    expect(load).not.toHaveBeenCalled();
  });

  it('names an unknown type and a bad eventId', async () => {
    const { service } = setup();
    expect((await errorOf(service.dispatchRaw('a1', { type: 'nap', at: 1 }))).issues[0]?.path).toEqual(['type']);
    expect((await errorOf(service.dispatchRaw('a1', { type: 'signIn', at: 1, eventId: '' }))).issues).toEqual([
      { path: ['eventId'], message: 'must be a non-empty string of ≤ 256 characters (got "")' },
    ]);
  });

  it('says when text is not JSON', async () => {
    const { service, save } = setup();
    const error = await errorOf(service.dispatchRaw('a1', '{"type":"signIn",'));
    expect(error.issues[0]?.path).toEqual([]);
    expect(error.issues[0]?.message).toMatch(/^must be JSON \(/);
    expect(save).not.toHaveBeenCalled();
  });

  it('refuses a malformed agent id before parsing, with the documented error naming it', async () => {
    const { service } = setup();
    const refused = service.dispatchRaw('', { type: 'signIn', at: 1 });
    await expect(refused).rejects.toBeInstanceOf(PresenceEventError);
    await expect(refused).rejects.toThrow('- agentId: must be a non-empty string');
    await expect(service.dispatchRaw(42 as unknown as string, { type: 'signIn', at: 1 })).rejects.toBeInstanceOf(PresenceEventError);
    await expect(service.dispatchRaw('agent-\uD800', { type: 'signIn', at: 1 })).rejects.toThrow('- agentId: must not hold a lone surrogate');
  });

  it('refuses an event whose getter throws with the documented error, not a bare Error', async () => {
    const { service } = setup();
    const event = { type: 'signIn', at: 1 };
    Object.defineProperty(event, 'sessionId', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const refused = service.dispatchRaw('a1', event);
    await expect(refused).rejects.toBeInstanceOf(PresenceEventError);
    await expect(refused).rejects.toThrow('could not be read');
  });
});
