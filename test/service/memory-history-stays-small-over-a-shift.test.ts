import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createMemoryHistoryStore, createPresenceService, type HistoryStore } from '../../src/service/index';
import { referenceHistory } from '../helpers/referenceHistory';
import { shiftEvent } from '../helpers/shiftEvent';
import { manualClock, seededRandom } from '../helpers/service';

const machine = createPresenceMachine({
  presences: [{ id: 'away-training', name: 'Away – In Training', base: 'Away' }],
  defaultProfile: { capacity: 100, maxWorkItems: 4 },
});
const START = Date.UTC(2026, 0, 5, 9);
const HOUR = 60 * 60_000;
const STEP = 20_000;
const AGENTS = ['agent-1', 'agent-2'];

/** A UUID-shaped id from a seeded source, as `crypto.randomUUID` makes them. */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** An 8-hour shift, an event every 20 seconds for each agent (1,440 presence changes each), through a service per history. */
async function shift(histories: HistoryStore[]) {
  const clock = manualClock(START);
  const services = histories.map((history) => createPresenceService({ machine, clock, history }));
  const random = seededRandom(7);
  const all = async (event: () => PresenceEvent) => {
    for (const agentId of AGENTS) {
      const event_ = event();
      // Each agent's own work items: an item goes to one agent at a time.
      const sent = 'workItemId' in event_ ? { ...event_, workItemId: `${agentId}/${event_.workItemId}` } : event_;
      for (const service of services) expect((await service.dispatch(agentId, sent)).changed).toBe(true);
    }
  };
  await all(() => ({ type: 'signIn', at: clock.now(), eventId: uuidFrom(random) }));
  for (let n = 0; n < (8 * HOUR) / STEP - 1; n++) {
    clock.advance(STEP);
    await all(() => shiftEvent(n, clock.now(), uuidFrom(random)));
  }
  clock.advance(STEP);
  await all(() => ({ type: 'signOut', at: clock.now(), eventId: uuidFrom(random) }));
  return { services, end: clock.now() };
}

describe('the memory history over a busy 8-hour shift (default options)', () => {
  it('keeps the latest 1,000 changes of each agent in under 32 KiB, and the service answers as with the changes kept as objects', async () => {
    const history = createMemoryHistoryStore();
    const objects = referenceHistory(1_000);
    const {
      services: [compact, reference],
      end,
    } = await shift([history, objects]);
    if (compact === undefined || reference === undefined) throw new Error('two services');

    expect(history.size).toBe(AGENTS.length);
    expect(history.byteLength / AGENTS.length).toBeLessThanOrEqual(32 * 1_024);

    const windows = [
      { from: START, to: end },
      { from: START - HOUR, to: end + HOUR },
      { from: START + 3 * HOUR + 7, to: START + 5 * HOUR + 19_999 },
      { from: end - HOUR, to: end },
      ...Array.from({ length: 8 }, (_, hour) => ({ from: START + hour * HOUR, to: START + (hour + 1) * HOUR })),
    ];
    for (const agentId of AGENTS) {
      for (const window of windows) {
        expect(await compact.timeInStatus(agentId, window)).toEqual(await reference.timeInStatus(agentId, window));
      }
      const read = history.read(agentId, { from: 0, to: Infinity });
      expect(read).toHaveLength(1_000);
      expect(read).toStrictEqual(objects.read(agentId, { from: 0, to: Infinity }));
    }
  }, 60_000);
});
