import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, fieldRules } from '../../src/index';
import { PresenceEventError } from '../../src/schema/index';
import { createRedisPresenceStore } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { TRICKY_IDS } from '../../src/testing/index';
import { useRedisServer } from '../helpers/redisServer';
import { recordingScheduler } from '../helpers/service';

const redis = useRedisServer();
const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
let prefixes = 0;

function setup() {
  const store = createRedisPresenceStore(redis.client, { keyPrefix: `ids${++prefixes}:` });
  return createPresenceService({ machine, store, scheduler: recordingScheduler() });
}

describe('ids on Redis', () => {
  it("refuse a lone surrogate, which the client would write as U+FFFD onto another agent's record", async () => {
    const service = setup();
    await service.dispatch('agent-\uFFFD', { type: 'signIn', at: 1_000 });
    for (const id of ['agent-\uD800', 'agent-\uDC00']) {
      await expect(service.dispatch(id, { type: 'signIn', at: 2_000 })).rejects.toThrow('must not hold a lone surrogate');
      await expect(service.dispatchRaw(id, { type: 'signIn', at: 2_000 })).rejects.toBeInstanceOf(PresenceEventError);
      await expect(service.get(id)).rejects.toThrow(TypeError);
    }
    const kept = await service.get('agent-\uFFFD');
    expect(kept).toMatchObject({ agentId: 'agent-\uFFFD', version: 1 });
    expect(kept.state.agentId).toBe('agent-\uFFFD');
  });

  it('never share a record between distinct accepted ids (unicode of every plane, tricky names)', async () => {
    const idArb = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
      fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 6 }),
      fc.constantFrom(...TRICKY_IDS),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          idArb.filter((id) => fieldRules.id(id) === undefined),
          { minLength: 2, maxLength: 6 },
        ),
        async (ids) => {
          const service = setup(); // a key prefix of its own: every run starts from an empty store
          // Each agent gets a work item named after its own position: reading one agent back must show only its own.
          for (const [index, id] of ids.entries()) {
            await service.dispatch(id, { type: 'workAssigned', workItemId: `item-${index}`, units: 1, at: 1_000 });
          }
          for (const [index, id] of ids.entries()) {
            const agent = await service.get(id);
            expect(agent.state.agentId).toBe(id);
            expect(agent.state.work.map((item) => item.workItemId)).toEqual([`item-${index}`]);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000); // 60 runs of a dozen round trips each: about 1 s alone, past 5 s on a loaded 2-core machine
});
