import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_STATUSES, createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createMemoryHistoryStore, createPresenceService } from '../../src/service/index';
import { assign, pick, release, signIn, signOut } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({ presences: [{ id: 'away-lunch', name: 'Lunch', base: 'Away' }] });
const setup = (limit?: number) =>
  createPresenceService({ machine, scheduler: recordingScheduler(), history: createMemoryHistoryStore(limit === undefined ? {} : { limit }) });
const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

describe('timeInStatus', () => {
  it('gives milliseconds per presence id and per base, each interval clipped to the window', async () => {
    const s = setup();
    await s.dispatch('agent-7', signIn(1_000)); // available
    await s.dispatch('agent-7', assign('c1', 40, 3_000)); // busy
    await s.dispatch('agent-7', pick('away-lunch', 6_000)); // away-lunch
    await s.dispatch('agent-7', pick('away', 7_000)); // away
    await s.dispatch('agent-7', signOut(9_000)); // offline
    const t = await s.timeInStatus('agent-7', { from: 2_000, to: 10_000 });
    expect(t.byPresence).toEqual({ available: 1_000, busy: 3_000, 'away-lunch': 1_000, away: 2_000, offline: 1_000 });
    expect(t.byBase).toEqual({ Available: 1_000, Busy: 3_000, BusyDND: 0, Away: 3_000, Offline: 1_000 });
    expect(t).toMatchObject({ from: 2_000, to: 10_000, untracked: 0 });
  });

  it('counts the window before the first change known as untracked, and an empty window as nothing', async () => {
    const s = setup();
    await s.dispatch('agent-7', signIn(5_000));
    const t = await s.timeInStatus('agent-7', { from: 1_000, to: 8_000 });
    expect(t).toMatchObject({ untracked: 4_000, byPresence: { available: 3_000 } });
    const empty = await s.timeInStatus('agent-7', { from: 6_000, to: 6_000 });
    expect(sum(empty.byBase) + empty.untracked).toBe(0);
    expect((await s.timeInStatus('nobody', { from: 0, to: 100 })).untracked).toBe(100);
  });

  it('falls back on the stored presence where the bounded history has dropped older changes', async () => {
    const s = setup(2);
    await s.dispatch('agent-7', signIn(1_000));
    await s.dispatch('agent-7', pick('away', 2_000));
    await s.dispatch('agent-7', pick('busy', 3_000));
    await s.dispatch('agent-7', assign('c1', 10, 4_000)); // busy, capacity: no change of id
    const t = await s.timeInStatus('agent-7', { from: 0, to: 5_000 });
    expect(t).toMatchObject({ untracked: 2_000, byPresence: { away: 1_000, busy: 2_000 } });
  });

  it('sums to the window length for an agent signed in before it, whatever happens in it', async () => {
    const steps: fc.Arbitrary<(at: number) => PresenceEvent> = fc.oneof(
      fc.constantFrom('available', 'busy', 'busy-dnd', 'away', 'offline', 'away-lunch').map((id) => (at: number) => pick(id, at)),
      fc.constantFrom('c1', 'c2').map((id) => (at: number) => assign(id, 50, at)),
      fc.constantFrom('c1', 'c2').map((id) => (at: number) => release(id, at)),
      fc.constant(signIn),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(steps, fc.integer({ min: 0, max: 500 })), { maxLength: 20 }),
        fc.integer({ min: 1_000, max: 12_000 }),
        fc.integer({ min: 0, max: 6_000 }),
        async (events, from, length) => {
          const s = setup();
          await s.dispatch('agent-7', signIn(1_000));
          let at = 1_000;
          for (const [event, step] of events) await s.dispatch('agent-7', event((at += step)));
          const t = await s.timeInStatus('agent-7', { from, to: from + length });
          expect(t.untracked).toBe(0);
          expect(sum(t.byBase)).toBe(length);
          expect(sum(t.byPresence)).toBe(length);
          expect(Object.keys(t.byBase)).toEqual([...BASE_STATUSES]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a malformed window, naming it', async () => {
    const s = setup();
    await expect(s.timeInStatus('agent-7', { from: -1, to: 5 })).rejects.toThrow('timeInStatus: window.from must be a finite number');
    await expect(s.timeInStatus('agent-7', { from: 10, to: 5 })).rejects.toThrow('timeInStatus: window.to must not be before window.from (10) (got 5)');
  });
});
