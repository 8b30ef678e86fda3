import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceMachine, type ResolvedPresence } from '../../src/index';
import { safeParseEvent } from '../../src/schema/index';
import { agentDayArb, hostileInputArb, presenceConfigArb, presenceModel } from '../../src/testing/index';

/** Your code under test: takes events off the wire and keeps each agent's state as a JSON row. */
class PresenceStore {
  private readonly rows = new Map<string, string>(); // a Map, not an object: an agent may be called "__proto__"

  constructor(private readonly machine: PresenceMachine) {}

  receive(agentId: string, body: unknown): { presence: ResolvedPresence } | { error: string } {
    const parsed = safeParseEvent(body);
    if (!parsed.success) return { error: parsed.error.message };
    const row = this.rows.get(agentId);
    const state = row === undefined ? this.machine.initialState(agentId) : JSON.parse(row);
    const result = this.machine.transition(state, parsed.data);
    if (result.rejection) return { error: result.rejection.message };
    this.rows.set(agentId, JSON.stringify(result.state));
    return { presence: result.presence };
  }

  row(agentId: string): string | undefined {
    return this.rows.get(agentId);
  }
}

/** A config, and a day of one of its agents. */
const configAndDay = presenceConfigArb().chain((config) => agentDayArb(config).map((day) => ({ config, day })));

describe('PresenceStore', () => {
  it('shows the presence the reference model predicts, event after event of an agent day', () => {
    fc.assert(
      fc.property(configAndDay, ({ config, day }) => {
        const store = new PresenceStore(createPresenceMachine(config));
        const model = presenceModel(config);
        let expected = model.initialState(day.agentId);
        for (const event of day.events) {
          const next = model.transition(expected, event);
          expected = next.state;
          expect(store.receive(day.agentId, JSON.parse(JSON.stringify(event)))).toEqual({ presence: next.presence });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('answers hostile input with an error and keeps the stored row as it was', () => {
    fc.assert(
      fc.property(configAndDay, fc.array(hostileInputArb(), { maxLength: 5 }), ({ config, day }, inputs) => {
        const store = new PresenceStore(createPresenceMachine(config));
        for (const event of day.events) store.receive(day.agentId, event);
        for (const input of inputs) {
          const before = store.row(day.agentId);
          const answer = store.receive(day.agentId, input);
          if ('error' in answer) expect(store.row(day.agentId)).toBe(before);
          expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
        }
      }),
      { numRuns: 200 },
    );
  });
});
