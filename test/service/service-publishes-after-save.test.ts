import { describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import {
  createMemoryHistoryStore,
  createMemoryPresenceStore,
  createPresenceService,
  type PresenceChange,
  type ServiceErrorContext,
} from '../../src/service/index';
import { assign, pick, release, signIn } from '../helpers/run';
import { recordingScheduler } from '../helpers/service';

const machine = createPresenceMachine({});

/** A publisher that fails while `down` is true, recording every call and every delivered change. */
function flakyPublisher() {
  const state = { down: false, calls: 0, delivered: [] as PresenceChange[] };
  return {
    state,
    async publish(change: PresenceChange) {
      state.calls++;
      if (state.down) throw new Error('broker unavailable');
      state.delivered.push(change);
    },
  };
}

function setup() {
  const store = createMemoryPresenceStore();
  const publisher = flakyPublisher();
  const errors: { error: unknown; context: ServiceErrorContext }[] = [];
  const history = createMemoryHistoryStore();
  const service = createPresenceService({
    machine,
    store,
    publisher,
    history,
    scheduler: recordingScheduler(),
    onError: (error, context) => errors.push({ error, context }),
  });
  return { store, publisher, errors, history, service };
}

const ids = (changes: readonly PresenceChange[]) => changes.map((c) => `${c.from.presenceId}→${c.to.presenceId}@v${c.version}`);

describe('publishing', () => {
  it('happens after the save, once per presence change, never for an event that changes no presence', async () => {
    const { store, publisher, service } = setup();
    const versionsSeenByPublisher: number[] = [];
    const original = publisher.publish;
    publisher.publish = async (change) => {
      versionsSeenByPublisher.push((await store.load(change.agentId))?.version ?? 0);
      return original(change);
    };
    await service.dispatch('agent-7', signIn(1_000));
    await service.dispatch('agent-7', assign('c1', 10, 2_000));
    await service.dispatch('agent-7', assign('c2', 10, 3_000)); // Busy → Busy
    await service.dispatch('agent-7', release('nope', 4_000)); // refused
    await service.dispatch('agent-7', release('c1', 5_000)); // still Busy
    await service.dispatch('agent-7', release('c2', 6_000));
    expect(ids(publisher.state.delivered)).toEqual(['offline→available@v1', 'available→busy@v2', 'busy→available@v5']);
    expect(versionsSeenByPublisher).toEqual([1, 2, 5]); // the change was stored when it went out
  });

  it('a publisher that throws loses no saved state; the change is retried, in order, before the next one goes out', async () => {
    const { store, publisher, errors, service } = setup();
    await service.dispatch('agent-7', signIn(1_000));
    publisher.state.down = true;
    const result = await service.dispatch('agent-7', assign('c1', 10, 2_000)); // does not throw
    expect(result).toMatchObject({ version: 2, presence: { presenceId: 'busy' } });
    expect((await store.load('agent-7'))?.record.state.presenceId).toBe('busy');
    expect(errors.map((e) => e.context.kind)).toEqual(['publish']);
    expect(errors[0]?.context).toMatchObject({ agentId: 'agent-7', change: { version: 2 } });
    await service.dispatch('agent-7', pick('away', 3_000)); // still down: queued behind v2
    expect(ids(publisher.state.delivered)).toEqual(['offline→available@v1']);
    publisher.state.down = false;
    await service.dispatch('agent-7', pick('busy-dnd', 4_000));
    expect(ids(publisher.state.delivered)).toEqual(['offline→available@v1', 'available→busy@v2', 'busy→away@v3', 'away→busy-dnd@v4']);
  });

  it('flush retries what failed and reports what is still pending', async () => {
    const { publisher, service } = setup();
    publisher.state.down = true;
    await service.dispatch('a1', signIn(1_000));
    await service.dispatch('a2', signIn(1_000));
    await service.dispatch('a2', assign('c1', 10, 2_000));
    expect(await service.flush()).toBe(3);
    publisher.state.down = false;
    expect(await service.flush()).toBe(0);
    expect(ids(publisher.state.delivered.filter((c) => c.agentId === 'a2'))).toEqual(['offline→available@v1', 'available→busy@v2']);
    expect(publisher.state.delivered).toHaveLength(3);
  });

  it('is at least once: a publish that throws after sending is sent again', async () => {
    const { publisher, service } = setup();
    let failAfterSending = true;
    publisher.publish = async (change) => {
      publisher.state.delivered.push(change);
      if (failAfterSending) {
        failAfterSending = false;
        throw new Error('ack lost');
      }
    };
    await service.dispatch('agent-7', signIn(1_000));
    await service.flush();
    expect(ids(publisher.state.delivered)).toEqual(['offline→available@v1', 'offline→available@v1']);
  });

  it('a listener that throws is reported and does not keep the others or the publisher from the change', async () => {
    const { publisher, errors, service } = setup();
    const heard: number[] = [];
    service.subscribe(() => {
      throw new Error('listener bug');
    });
    service.subscribe((change) => heard.push(change.version));
    await service.dispatch('agent-7', signIn(1_000));
    expect(heard).toEqual([1]);
    expect(publisher.state.delivered).toHaveLength(1);
    expect(errors.map((e) => e.context.kind)).toEqual(['listener']);
  });

  it('a history store that throws is retried like the publisher, and does not hold up publishing', async () => {
    const { history, errors, publisher, service } = setup();
    const append = history.append.bind(history);
    let down = true;
    history.append = (change) => {
      if (down) throw new Error('history down');
      return append(change);
    };
    await service.dispatch('agent-7', signIn(1_000));
    expect(publisher.state.delivered).toHaveLength(1);
    expect(errors.map((e) => e.context.kind)).toEqual(['history']);
    down = false;
    await service.dispatch('agent-7', assign('c1', 10, 2_000));
    expect((await history.read('agent-7', { from: 0, to: 10_000 })).map((c) => c.version)).toEqual([1, 2]);
  });

  it('reports to console.error when no onError is given', async () => {
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const service = createPresenceService({
        machine,
        scheduler: recordingScheduler(),
        publisher: { publish: () => Promise.reject(new Error('down')) },
      });
      await service.dispatch('agent-7', signIn(1_000));
    } finally {
      console.error = original;
    }
    expect(logged[0]?.[0]).toBe('agent-presence service: publish failed for agent "agent-7"');
  });
});
