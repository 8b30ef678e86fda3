import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { manualClock } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const service = () => createPresenceService({ machine, clock: manualClock(20_000) });

describe('service.report reads agentIds once, by index, within its bound', () => {
  it('reads the array by its indices, not an iterator that yields past the bound', async () => {
    const agentIds = Object.assign(['a1'], {
      *[Symbol.iterator]() {
        for (let i = 0; i < 20_000; i++) yield `x${i}`;
      },
    });
    const report = await service().report({ agentIds, from: 0, to: 1_000 });
    expect(report.agents.map((a) => a.agentId)).toEqual(['a1']);
  });

  it('reads the length once: a length that grows after the check does not go past the bound', async () => {
    let reads = 0;
    const agentIds = new Proxy(['a1', 'a2'], {
      get: (target, key, receiver) => (key === 'length' ? (reads++ === 0 ? 2 : 50_000) : Reflect.get(target, key, receiver)),
    });
    const report = await service().report({ agentIds, from: 0, to: 1_000 });
    expect(report.agents.map((a) => a.agentId)).toEqual(['a1', 'a2']);
  });

  it('names a hole of a sparse array as a missing id', async () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is what is tested
    await expect(service().report({ agentIds: ['a1', , 'a2'] as string[], from: 0, to: 1_000 })).rejects.toThrow(/report: agentIds\[1\] /);
  });

  it('takes ids with unicode and line breaks as they are, and a window of 0 ms', async () => {
    const ids = ['agent\n7', 'agënt-🎧', 'a"b'];
    const report = await service().report({ agentIds: ids, from: 5_000, to: 5_000 });
    expect(report.agents.map((a) => [a.agentId, a.untracked, a.signedInMs])).toEqual(ids.map((id) => [id, 0, 0]));
  });
});
