import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import { createMemoryHistoryStore, createPresenceService } from '../../src/service/index';
import { manualClock } from '../helpers/service';

describe('service.report over many agents', () => {
  it('lets other work run between its batches, in memory where every read answers at once', async () => {
    const history = createMemoryHistoryStore({ limit: 400 });
    const service = createPresenceService({ machine: createPresenceMachine({}), history, clock: manualClock(10_000_000) });
    const agentIds = Array.from({ length: 500 }, (_, i) => `a${i}`);
    // 400 work entries and changes each, written straight to the history (dispatching them all would take longer than the report).
    for (const agentId of agentIds) {
      for (let n = 0; n < 400; n++) {
        void history.appendWork!({ agentId, at: n * 1_000, kind: 'assigned', workItemId: `c${n}`, used: n % 100, capacity: 100, version: n + 1 });
      }
    }
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const started = turns;
    const report = await service.report({ agentIds, from: 0, to: 400_000 });
    running = false;
    expect(report.totals.work?.assigned).toBe(500 * 400);
    // Without the pauses the whole report runs in microtasks and no turn of the event loop comes between.
    expect(turns - started).toBeGreaterThan(0);
  });
});
