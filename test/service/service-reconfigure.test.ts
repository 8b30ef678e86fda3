import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { deactivatePresence, setCapacity } from '../../src/admin/index';
import { createPresenceService } from '../../src/service/index';
import { assign, pick, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

const config = { presences: [{ id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' as const }], defaultProfile: { capacity: 100 } };
const query = { units: 50, bases: ['Available', 'Busy'] as const, limit: 10, order: 'mostFree' as const };

describe('service.reconfigure', () => {
  it('swaps the machine for later events and re-evaluates the roster under it', async () => {
    const before = createPresenceMachine(config);
    const service = createPresenceService({ machine: before, scheduler: recordingScheduler() });
    await service.dispatch('agent-7', signIn(1_000));
    await service.dispatch('agent-7', assign('c1', 40, 2_000));
    expect((await service.findAvailable({ ...query, bases: [...query.bases] })).map((c) => c.freeUnits)).toEqual([60]);

    const after = createPresenceMachine(setCapacity(config, { capacity: 80 }, 'agent-7'));
    service.reconfigure(after);
    expect(service.machine).toBe(after);
    expect(await service.findAvailable({ ...query, bases: [...query.bases] })).toEqual([]); // 40 free now
    const result = await service.dispatch('agent-7', assign('c2', 40, 3_000));
    expect(result.presence.presenceId).toBe('busy-dnd'); // full at 80 under the new machine
  });

  it('leaves stored states as they are until the agent next has an event', async () => {
    const service = createPresenceService({ machine: createPresenceMachine(config), scheduler: recordingScheduler() });
    await service.dispatch('agent-7', signIn(1_000));
    await service.dispatch('agent-7', pick('busy-chats', 2_000));
    service.reconfigure(createPresenceMachine(deactivatePresence(config, 'busy-chats')));
    const agent = await service.get('agent-7');
    expect(agent.version).toBe(2);
    expect(agent.state.presenceId).toBe('busy-chats'); // the core decides at the next event (source `config`)
  });

  it('refuses something that is not a machine', () => {
    const service = createPresenceService({ machine: createPresenceMachine(config), scheduler: recordingScheduler() });
    expect(() => service.reconfigure({} as never)).toThrow('reconfigure: invalid machine:\n- machine: must be a presence machine');
  });
});
