import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceState } from '../../src/index';
import { presenceStateSchema, PresenceSnapshotError, restore, snapshot, SNAPSHOT_SCHEMA_VERSION } from '../../src/schema/index';
import { scenarioArb as scenarioArbitrary } from '../helpers/scenarioArb';
import { assign, pick, run, signIn } from '../helpers/run';

const machine = createPresenceMachine({ presences: [{ id: 'away-training', name: 'Training', base: 'Away' }] });
const busy = run(machine, 'agent-7', [signIn(1_000), assign('chat-1', 40, 2_000), pick('away-training', 3_000)]).state;

/** The issues `restore` throws for an input, or a failure when it does not throw. */
function problems(input: unknown) {
  try {
    restore(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PresenceSnapshotError);
    return (error as PresenceSnapshotError).issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  }
  throw new Error('restore accepted the input');
}

describe('snapshot and restore', () => {
  it('wrap a state with the format version and give it back equal, from an object or JSON text', () => {
    const stored = snapshot(busy);
    expect(stored).toEqual({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, state: busy });
    expect(restore(JSON.parse(JSON.stringify(stored)))).toEqual(busy);
    expect(restore(JSON.stringify(stored))).toEqual(busy);
  });

  it('round-trip every state the machine makes, and the restored state behaves the same', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ config, agentId, start, events }) => {
        const m = createPresenceMachine(config);
        let state: PresenceState = m.initialState(agentId, start);
        for (const event of events) {
          state = m.transition(state, event).state;
          const restored = restore(JSON.stringify(snapshot(state)));
          expect(restored).toEqual(state);
          expect(m.transition(restored, { type: 'signOut', at: start + 100_000 })).toEqual(m.transition(state, { type: 'signOut', at: start + 100_000 }));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('name the version they cannot read', () => {
    expect(problems({ schemaVersion: 2, state: busy })).toEqual([
      { path: 'schemaVersion', message: 'must be 1, the snapshot version this release reads (got 2)' },
    ]);
  });

  it('name each bad field by its path and say what is wrong', () => {
    const bad = {
      ...busy,
      base: 'Lunch',
      work: [{ workItemId: 'chat-1', units: -1, since: 2_000 }],
      choice: { presenceId: 'away-training', base: 'Away', source: 'guess' },
    };
    expect(problems({ schemaVersion: 1, state: bad })).toEqual([
      { path: 'state.base', message: 'must be one of Available, Busy, BusyDND, Away, Offline (got "Lunch")' },
      { path: 'state.choice.source', message: 'must be one of manual, default, missed, rejected, config (got "guess")' },
      { path: 'state.work.0.units', message: 'must be a finite number ≥ 0 (got -1)' },
    ]);
  });

  it('name missing and unknown fields', () => {
    const { lastAt: _dropped, ...withoutLastAt } = busy;
    expect(problems({ schemaVersion: 1, state: { ...withoutLastAt, mood: 'happy' } })).toEqual([
      { path: 'state.lastAt', message: 'must be a finite number ≥ 0 and ≤ 8640000000000000 (got undefined)' },
      { path: 'state.mood', message: 'is not a known field' },
    ]);
  });

  it('refuse states the machine cannot have made: duplicate work items, times after lastAt', () => {
    const item = { workItemId: 'chat-1', units: 10, since: 500 };
    expect(problems({ schemaVersion: 1, state: { ...busy, since: 9_000, work: [item, { ...item, since: 9_500 }] } })).toEqual([
      { path: 'state.since', message: 'must not be after lastAt (3000) (got 9000)' },
      { path: 'state.work.1.workItemId', message: 'duplicates the work item "chat-1" held earlier in the list' },
      { path: 'state.work.1.since', message: 'must not be after lastAt (3000) (got 9500)' },
    ]);
  });

  it('say what is wrong with text that is not JSON, a non-object, and a bare state', () => {
    expect(problems('{"schemaVersion":')[0]?.message).toMatch(/^must be JSON \(/);
    expect(problems(42)).toEqual([{ path: '', message: 'must be an object (got 42)' }]);
    expect(problems({ schemaVersion: 1, state: null })).toEqual([{ path: 'state', message: 'must be an object (got null)' }]);
    expect(problems(busy)).toEqual([{ path: '', message: 'must be a snapshot { schemaVersion, state } (got a bare state: store snapshot(state) instead)' }]);
  });

  it('list the problems in the error message with rendered paths', () => {
    expect(() => restore({ schemaVersion: 1, state: { ...busy, work: [{ workItemId: '', units: 1, since: 0 }] } })).toThrow(
      'Invalid presence snapshot:\n- state.work[0].workItemId: must be a non-empty string of ≤ 256 characters (got "")',
    );
  });

  it('presenceStateSchema accepts the states the machine makes and refuses a bad one', () => {
    expect(presenceStateSchema.safeParse(busy).success).toBe(true);
    expect(presenceStateSchema.safeParse({ ...busy, signedIn: 'yes' }).success).toBe(false);
  });

  it('presenceStateSchema names the problems restore names, an unknown field included, by the same path and message', () => {
    const { lastAt: _dropped, ...withoutLastAt } = busy;
    for (const state of [
      { ...withoutLastAt, mood: 'happy', work: [{ workItemId: 'chat-1', units: -1, since: 2_000, colour: 'red' }] },
      { ...busy, since: 9_000 },
      { ...busy, sessions: 'none', choice: [] },
    ]) {
      const fromSchema = presenceStateSchema.safeParse(state).error?.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      const fromRestore = problems({ schemaVersion: 1, state }).map(({ path, message }) => ({ path: path.replace(/^state\.?/, ''), message }));
      expect(fromSchema).toEqual(fromRestore);
      expect(fromSchema?.length).toBeGreaterThan(0);
    }
  });
});

describe('snapshots of sessions, wrap-up, queued picks and reconnect grace', () => {
  it('round-trip every field the machine writes, and refuse a signedIn that contradicts the sessions', () => {
    const machine = createPresenceMachine({ defaultProfile: { wrapUpMs: 60_000, capacityProfiles: { chat: { maxItems: 2 } } } });
    let state = machine.initialState('a1');
    for (const event of [
      { type: 'signIn', sessionId: 'tab-1', at: 1 },
      { type: 'workAssigned', workItemId: 'c1', profile: 'chat', at: 2 },
      { type: 'setPresence', presenceId: 'away', when: 'afterWork', at: 3 },
      { type: 'workReleased', workItemId: 'c1', at: 4 },
    ] as const) {
      state = machine.transition(state, event).state;
    }
    expect(state.work[0]).toEqual({ workItemId: 'c1', units: 0, since: 2, profile: 'chat', wrapUpUntil: 60_004 });
    expect(restore(JSON.stringify(snapshot(state)))).toEqual(state);
    const dropped = machine.transition(state, { type: 'disconnected', sessionId: 'tab-1', at: 5 }).state;
    expect(restore(snapshot(dropped))).toEqual(dropped);
    expect(() => restore({ schemaVersion: 1, state: { ...state, signedIn: false } })).toThrow(/signedIn/);
  });
});
