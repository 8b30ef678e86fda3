/**
 * Eight writers, 1,000 agents, 10,000 events, over a store that adds latency and injects conflicts: the stored
 * state of every agent ends exactly where a sequential replay of that agent's events ends, no update is lost, and
 * each agent's presence changes are published in order.
 */
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent, type PresenceMachine, type PresenceState } from '../../src/index';
import { createPresenceService, type PresenceChange, type PresenceService } from '../../src/service/index';
import { createFlakyStore, recordingScheduler, seededRandom } from '../helpers/service';

const AGENTS = 1_000;
const EVENTS = 10_000;
const WRITERS = 8;

const machine = createPresenceMachine({
  presences: [{ id: 'away-lunch', name: 'Away – Lunch', base: 'Away' }],
  defaultProfile: { capacity: 100, maxWorkItems: 3 },
});
const agentId = (n: number) => `agent-${String(n).padStart(4, '0')}`;

/** 10,000 events, each agent's in a block (so that the writers below meet on the same agent at the same time). */
function generateEvents(random: () => number): { agentId: string; event: PresenceEvent }[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const out: { agentId: string; event: PresenceEvent }[] = [];
  for (let a = 0; a < AGENTS; a++) {
    let at = 1_000 + a;
    for (let e = 0; e < EVENTS / AGENTS; e++) {
      at += Math.floor(random() * 1_000);
      const eventId = `${agentId(a)}-e${e}`;
      const roll = random();
      const event: PresenceEvent =
        roll < 0.2
          ? { type: 'signIn', at, eventId }
          : roll < 0.3
            ? { type: 'signOut', at, eventId }
            : roll < 0.45
              ? { type: 'setPresence', presenceId: pick(['available', 'busy', 'away', 'busy-dnd', 'away-lunch']), at, eventId }
              : roll < 0.75
                ? { type: 'workAssigned', workItemId: pick(['c1', 'c2', 'c3', 'c4']), units: pick([10, 25, 40, 60]), at, eventId }
                : { type: 'workReleased', workItemId: pick(['c1', 'c2', 'c3', 'c4']), at, eventId };
      out.push({ agentId: agentId(a), event });
    }
  }
  return out;
}

/** Replays one agent's events in order: the final state, and the presence changes with their event ids. */
function replay(m: PresenceMachine, id: string, events: readonly PresenceEvent[]) {
  let state: PresenceState | undefined;
  const states: PresenceState[] = [];
  const changes: { from: string; to: string; at: number }[] = [];
  for (const event of events) {
    state ??= m.initialState(id, event.at);
    const t = m.transition(state, event);
    if (t.changed) changes.push({ from: state.presenceId, to: t.presence.presenceId, at: t.presence.since });
    state = t.state;
    states.push(state);
  }
  return { state, states, changes };
}

function groupByAgent(changes: readonly PresenceChange[]): Map<string, PresenceChange[]> {
  const groups = new Map<string, PresenceChange[]>();
  for (const change of changes) {
    if (!groups.has(change.agentId)) groups.set(change.agentId, []);
    groups.get(change.agentId)!.push(change);
  }
  return groups;
}

const summary = (changes: readonly PresenceChange[]) => changes.map((c) => ({ from: c.from.presenceId, to: c.to.presenceId, at: c.at }));

/** Runs each writer's share one event at a time; the writers run concurrently. */
async function runWriters(
  shares: { agentId: string; event: PresenceEvent }[][],
  serviceOf: (writer: number) => PresenceService,
  onCall?: (agentId: string, event: PresenceEvent) => void,
) {
  await Promise.all(
    shares.map(async (share, writer) => {
      for (const { agentId: id, event } of share) {
        onCall?.(id, event);
        await serviceOf(writer).dispatch(id, event);
      }
    }),
  );
}

const shares = (events: { agentId: string; event: PresenceEvent }[]) => Array.from({ length: WRITERS }, (_, w) => events.filter((_, i) => i % WRITERS === w));

describe(`${WRITERS} concurrent writers over ${AGENTS} agents and ${EVENTS} events`, () => {
  it('in one process: every agent ends in the state of a sequential replay in call order, changes published in that order', async () => {
    const random = seededRandom(2026);
    const events = generateEvents(random);
    const store = createFlakyStore({ random, maxLatencyTurns: 3, conflictRate: 0.2 });
    const published: PresenceChange[] = [];
    const service = createPresenceService({
      machine,
      store,
      scheduler: recordingScheduler(),
      publisher: { publish: (change) => void published.push(change) },
      maxAttempts: 50,
    });
    const callOrder = new Map<string, PresenceEvent[]>();
    await runWriters(
      shares(events),
      () => service,
      (id, event) => {
        if (!callOrder.has(id)) callOrder.set(id, []);
        callOrder.get(id)!.push(event);
      },
    );

    expect(store.stats.injectedConflicts).toBeGreaterThan(100); // the retry path was well exercised
    const byAgent = groupByAgent(published);
    for (let a = 0; a < AGENTS; a++) {
      const id = agentId(a);
      const expected = replay(machine, id, callOrder.get(id)!);
      expect((await store.peek(id))?.record.state, id).toEqual(expected.state);
      const mine = byAgent.get(id) ?? [];
      expect(summary(mine), id).toEqual(expected.changes);
      expect(
        mine.every((c, i) => i === 0 || c.version > mine[i - 1]!.version),
        id,
      ).toBe(true);
    }
  }, 60_000);

  it(`in ${WRITERS} processes sharing a store: every commit is the previous one plus one event, each event committed once`, async () => {
    const random = seededRandom(7);
    const events = generateEvents(random);
    const store = createFlakyStore({ random, maxLatencyTurns: 3, conflictRate: 0.05 });
    const published: PresenceChange[][] = Array.from({ length: WRITERS }, () => []);
    const services = Array.from({ length: WRITERS }, (_, w) =>
      createPresenceService({
        machine,
        store,
        scheduler: recordingScheduler(),
        publisher: { publish: (change) => void published[w]!.push(change) },
        maxAttempts: 200,
      }),
    );
    await runWriters(shares(events), (w) => services[w]!);

    expect(store.stats.conflicts - store.stats.injectedConflicts).toBeGreaterThan(100); // writers really raced
    const eventsById = new Map(events.map(({ event }) => [event.eventId!, event]));
    const allPublished = groupByAgent(published.flat());
    for (let a = 0; a < AGENTS; a++) {
      const id = agentId(a);
      // The commit order, read off each saved record's newest remembered event id.
      const commits = store.commits.get(id) ?? [];
      const committedIds = commits.map((c) => c.record.seen.at(-1)!.eventId);
      expect([...committedIds].sort(), id).toEqual(
        events
          .filter((e) => e.agentId === id)
          .map((e) => e.event.eventId!)
          .sort(),
      );
      const expected = replay(
        machine,
        id,
        committedIds.map((eventId) => eventsById.get(eventId)!),
      );
      // Each commit holds exactly the replay up to it: built on the commit before, nothing lost.
      expect(
        commits.map((c) => c.record.state),
        id,
      ).toEqual(expected.states);
      expect((await store.peek(id))?.record.state, id).toEqual(expected.state);
      // Published once per change; by version, in the replay's order. Each process publishes its own in order.
      const mine = [...(allPublished.get(id) ?? [])].sort((x, y) => x.version - y.version);
      expect(summary(mine), id).toEqual(expected.changes);
      for (const own of published) {
        const versions = own.filter((c) => c.agentId === id).map((c) => c.version);
        expect(versions, id).toEqual([...versions].sort((x, y) => x - y));
      }
    }
  }, 60_000);
});
