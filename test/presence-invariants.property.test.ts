import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_STATUSES, createPresenceMachine, STANDARD_PRESENCES, validateConfig } from '../src/index';
import type {
  BaseStatus,
  PresenceConfig,
  PresenceEvent,
  PresenceMachine,
  PresenceState,
  RejectionCode,
  Transition,
} from '../src/index';
import { hostileEventArbitrary, scenarioArbitrary, type Scenario } from './helpers/arbitraries';

const RUNS = { numRuns: 200 };

// ---------------------------------------------------------------------------------------------------------------
// An independent model of the rules, written from the spec, to compare the machine against.
// ---------------------------------------------------------------------------------------------------------------

/** What the rules say about one agent under one config, read straight from the config. */
interface Rules {
  readonly presence: (id: string) => { readonly base: BaseStatus; readonly active: boolean; readonly standard: boolean; readonly selectable: boolean } | undefined;
  readonly defaultPresenceId: string;
  readonly presenceIds: readonly string[] | undefined;
  readonly capacity: number;
  readonly maxWorkItems: number | undefined;
  readonly slots: { readonly none: string; readonly partial: string; readonly full: string };
}

function rulesFor(config: PresenceConfig, agentId: string): Rules {
  const catalog = new Map<string, { base: BaseStatus; active: boolean; standard: boolean; selectable: boolean }>();
  for (const p of STANDARD_PRESENCES) catalog.set(p.id, { base: p.base, active: true, standard: true, selectable: p.id !== 'inactive' });
  for (const p of config.presences ?? []) catalog.set(p.id, { base: p.base, active: p.active ?? true, standard: false, selectable: p.selectable ?? true });
  const agents = config.agents ?? {};
  const own = Object.hasOwn(agents, agentId) ? agents[agentId] ?? {} : {};
  const shared = config.defaultProfile ?? {};
  return {
    presence: (id) => catalog.get(id),
    defaultPresenceId: own.defaultPresenceId ?? shared.defaultPresenceId ?? 'available',
    presenceIds: own.presenceIds ?? shared.presenceIds,
    capacity: own.capacity ?? shared.capacity ?? 100,
    maxWorkItems: own.maxWorkItems ?? shared.maxWorkItems,
    slots: {
      none: config.capacityPresences?.none ?? 'available',
      partial: config.capacityPresences?.partial ?? 'busy',
      full: config.capacityPresences?.full ?? 'busy-dnd',
    },
  };
}

const isStickyBase = (base: BaseStatus) => base === 'Away' || base === 'BusyDND' || base === 'Offline';

/** The model's view of the agent: signed in or not, the presence that holds instead of capacity, the items held. */
interface Model {
  readonly signedIn: boolean;
  readonly chosen: { readonly presenceId: string; readonly base: BaseStatus; readonly source: 'manual' | 'default' } | null;
  readonly held: readonly { readonly workItemId: string; readonly units: number }[];
  readonly lastAt: number;
}

const isId = (v: unknown) => typeof v === 'string' && v.trim().length > 0 && v.length <= 256;
const isAmount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Whether a value is an event the machine must take (extra fields are allowed). */
function isWellFormed(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const e = event as Record<string, unknown>;
  if (!isAmount(e.at)) return false;
  switch (e.type) {
    case 'signIn':
    case 'signOut':
      return true;
    case 'setPresence':
      return isId(e.presenceId);
    case 'workAssigned':
      return isId(e.workItemId) && isAmount(e.units);
    case 'workReleased':
      return isId(e.workItemId);
    default:
      return false;
  }
}

/** The model after one event, or the code the rules refuse it with (the model then stays as it was). */
function modelStep(rules: Rules, m: Model, event: PresenceEvent): { readonly next: Model; readonly code?: RejectionCode } {
  if (!isWellFormed(event)) return { next: m, code: 'INVALID_EVENT' };
  const lastAt = Math.max(m.lastAt, event.at);
  const afterWork = m.chosen !== null && !isStickyBase(m.chosen.base) ? null : m.chosen;
  switch (event.type) {
    case 'signIn': {
      if (m.signedIn) return { next: { ...m, lastAt } };
      const fallback = rules.presence(rules.defaultPresenceId);
      if (fallback === undefined) throw new Error('the generated config names an unknown default');
      const chosen = isStickyBase(fallback.base)
        ? { presenceId: rules.defaultPresenceId, base: fallback.base, source: 'default' as const }
        : null;
      return { next: { ...m, signedIn: true, chosen, lastAt } };
    }
    case 'signOut':
      return { next: { ...m, signedIn: false, chosen: null, lastAt } };
    case 'setPresence': {
      const presence = rules.presence(event.presenceId);
      if (!m.signedIn) return { next: m, code: 'NOT_SIGNED_IN' };
      if (presence === undefined) return { next: m, code: 'UNKNOWN_PRESENCE' };
      if (!presence.active) return { next: m, code: 'PRESENCE_INACTIVE' };
      if (!presence.selectable) return { next: m, code: 'PRESENCE_NOT_SELECTABLE' };
      if (!presence.standard && rules.presenceIds !== undefined && !rules.presenceIds.includes(event.presenceId)) {
        return { next: m, code: 'PRESENCE_NOT_ALLOWED' };
      }
      return { next: { ...m, chosen: { presenceId: event.presenceId, base: presence.base, source: 'manual' }, lastAt } };
    }
    case 'workAssigned':
      if (m.held.some((item) => item.workItemId === event.workItemId)) return { next: m, code: 'DUPLICATE_WORK_ITEM' };
      return {
        next: { ...m, held: [...m.held, { workItemId: event.workItemId, units: event.units ?? 0 }], chosen: afterWork, lastAt },
      };
    case 'workReleased':
      if (!m.held.some((item) => item.workItemId === event.workItemId)) return { next: m, code: 'UNKNOWN_WORK_ITEM' };
      return { next: { ...m, held: m.held.filter((item) => item.workItemId !== event.workItemId), chosen: afterWork, lastAt } };
    default:
      throw new Error(`the model does not know ${event.type} events`);
  }
}

const usedUnits = (held: Model['held']) => held.reduce((sum, item) => sum + item.units, 0);

/** The capacity level by the rules: used ≥ capacity or items ≥ maxWorkItems is full, anything held partial, else none. */
function expectedLevel(rules: Rules, held: Model['held']): 'none' | 'partial' | 'full' {
  const used = usedUnits(held);
  if (used >= rules.capacity) return 'full';
  if (rules.maxWorkItems !== undefined && held.length >= rules.maxWorkItems) return 'full';
  return held.length > 0 ? 'partial' : 'none';
}

// ---------------------------------------------------------------------------------------------------------------
// Running a scenario
// ---------------------------------------------------------------------------------------------------------------

interface Step {
  readonly event: PresenceEvent;
  readonly before: PresenceState;
  readonly result: Transition;
  /** The model after the event, and the code the model says the event is refused with. */
  readonly model: Model;
  readonly expectedCode: RejectionCode | undefined;
}

/** Applies every event in order; `copy` is applied to each state before the next event (identity by default). */
function replay(
  machine: PresenceMachine,
  initial: PresenceState,
  events: readonly PresenceEvent[],
  copy: (state: PresenceState) => PresenceState = (state) => state,
): Transition[] {
  const results: Transition[] = [];
  let state = initial;
  for (const event of events) {
    const result = machine.transition(state, event);
    results.push(result);
    state = copy(result.state);
  }
  return results;
}

/** Runs a scenario through the machine and the model side by side. */
function walk(scenario: Scenario) {
  const machine = createPresenceMachine(scenario.config);
  const rules = rulesFor(scenario.config, scenario.agentId);
  const initial = machine.initialState(scenario.agentId, scenario.start);
  const steps: Step[] = [];
  let state = initial;
  let model: Model = { signedIn: false, chosen: null, held: [], lastAt: scenario.start };
  for (const event of scenario.events) {
    const result = machine.transition(state, event);
    const { next, code } = modelStep(rules, model, event);
    steps.push({ event, before: state, result, model: next, expectedCode: code });
    state = result.state;
    model = next;
  }
  return { machine, rules, initial, steps };
}

const isWorkEvent = (event: PresenceEvent) =>
  isWellFormed(event) && (event.type === 'workAssigned' || event.type === 'workReleased');

// ---------------------------------------------------------------------------------------------------------------

describe('the generators', () => {
  it('produce only configs the machine accepts', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ config }) => {
        expect(validateConfig(config)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('produce scenarios that reach every refusal code, late events and sticky choices', () => {
    const seen = new Set<string>();
    for (const scenario of fc.sample(scenarioArbitrary, { numRuns: 300, seed: 20240601 })) {
      for (const { result, before } of walk(scenario).steps) {
        if (result.rejection) seen.add(result.rejection.code);
        if (result.late !== undefined) seen.add('late');
        if (before.choice !== null && isStickyBase(before.choice.base)) seen.add('sticky');
        if (result.state.source === 'capacity') seen.add(`capacity:${result.state.base}`);
      }
    }
    for (const wanted of ['INVALID_EVENT', 'NOT_SIGNED_IN', 'UNKNOWN_PRESENCE', 'PRESENCE_INACTIVE', 'PRESENCE_NOT_ALLOWED',
      'DUPLICATE_WORK_ITEM', 'UNKNOWN_WORK_ITEM', 'late', 'sticky', 'capacity:Available', 'capacity:Busy', 'capacity:BusyDND']) {
      expect(seen, wanted).toContain(wanted);
    }
  });
});

describe('presence invariants over random configs and event sequences', () => {
  it('refuses an event exactly when the rules refuse it, with the rule’s code', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const { result, expectedCode, event } of walk(scenario).steps) {
          expect(result.rejection?.code, JSON.stringify(event)).toBe(expectedCode);
        }
      }),
      RUNS,
    );
  });

  it('keeps the base one of the five base statuses and equal to the base of the presence definition', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const { machine, steps } = walk(scenario);
        for (const { result } of steps) {
          const definition = machine.presences.find((p) => p.id === result.state.presenceId);
          expect(BASE_STATUSES).toContain(result.state.base);
          expect(result.state.base).toBe(definition?.base);
          expect(result.presence).toEqual({
            presenceId: result.state.presenceId,
            base: result.state.base,
            name: definition?.name,
            text: definition?.text,
            source: result.state.source,
            since: result.state.since,
          });
        }
      }),
      RUNS,
    );
  });

  it('is Offline exactly when signed out or an Offline-based presence was chosen by hand or as a sticky default', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const { result, model } of walk(scenario).steps) {
          const offlineChosen = model.chosen !== null && model.chosen.base === 'Offline';
          expect(result.state.base === 'Offline').toBe(!model.signedIn || offlineChosen);
          expect(result.state.signedIn).toBe(model.signedIn);
          if (!model.signedIn) expect([result.state.presenceId, result.state.source]).toEqual(['offline', 'signOut']);
        }
      }),
      RUNS,
    );
  });

  it('holds exactly the items assigned and not yet released, and uses the sum of their units', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const { result, model } of walk(scenario).steps) {
          const held = result.state.work.map((item) => ({ workItemId: item.workItemId, units: item.units }));
          expect(held).toEqual(model.held);
          const used = result.state.work.reduce((sum, item) => sum + item.units, 0);
          expect(used).toBe(usedUnits(model.held));
        }
      }),
      RUNS,
    );
  });

  it('shows the capacity presence of the independently computed level when signed in with no choice in force', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const { rules, steps } = walk(scenario);
        for (const { result, model } of steps) {
          if (!model.signedIn || model.chosen !== null) continue;
          const level = expectedLevel(rules, model.held);
          expect([result.state.presenceId, result.state.source], level).toEqual([rules.slots[level], 'capacity']);
          expect(result.state.choice).toBeNull();
        }
      }),
      RUNS,
    );
  });

  it('keeps the manual pick or sticky default the rules give (none after sign-out) and shows it while signed in', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const { result, model } of walk(scenario).steps) {
          expect(result.state.choice).toEqual(model.chosen);
          if (!model.signedIn || model.chosen === null) continue;
          expect([result.state.presenceId, result.state.base, result.state.source]).toEqual([
            model.chosen.presenceId,
            model.chosen.base,
            model.chosen.source,
          ]);
        }
      }),
      RUNS,
    );
  });

  it('never lets a work event change a sticky (Away, BusyDND or Offline) choice', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const { event, before, result } of walk(scenario).steps) {
          if (!isWorkEvent(event) || before.choice === null || !isStickyBase(before.choice.base)) continue;
          expect(result.state.choice).toEqual(before.choice);
          expect([result.state.presenceId, result.state.base, result.state.source]).toEqual([
            before.presenceId,
            before.base,
            before.source,
          ]);
          expect(result.changed).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('returns the very same state, its presence and changed false for a refused event', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const { machine, steps } = walk(scenario);
        for (const { before, result } of steps) {
          if (result.rejection === undefined) continue;
          expect(result.state).toBe(before);
          expect(result.changed).toBe(false);
          expect(result.presence).toEqual(machine.presenceOf(before));
          expect(result.late).toBeUndefined();
        }
      }),
      RUNS,
    );
  });

  it('replays deterministically: the same events give deep-equal transitions, also from a copy of the config', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const machine = createPresenceMachine(scenario.config);
        const initial = machine.initialState(scenario.agentId, scenario.start);
        const first = replay(machine, initial, scenario.events);
        expect(replay(machine, initial, scenario.events)).toEqual(first);
        const twin = createPresenceMachine(structuredClone(scenario.config));
        expect(replay(twin, twin.initialState(scenario.agentId, scenario.start), scenario.events)).toEqual(first);
      }),
      RUNS,
    );
  });

  it('behaves identically when every state is replaced by its JSON round-trip copy before the next event', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const machine = createPresenceMachine(scenario.config);
        const initial = machine.initialState(scenario.agentId, scenario.start);
        const viaJson = (state: PresenceState): PresenceState => JSON.parse(JSON.stringify(state));
        expect(replay(machine, viaJson(initial), scenario.events, viaJson)).toEqual(replay(machine, initial, scenario.events));
      }),
      RUNS,
    );
  });

  it('never moves since or lastAt backwards, and applies a late event at the latest time with late set', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const { event, before, result } of walk(scenario).steps) {
          expect(result.state.since).toBeGreaterThanOrEqual(before.since);
          expect(result.state.lastAt).toBeGreaterThanOrEqual(before.lastAt);
          expect(result.state.since).toBeLessThanOrEqual(result.state.lastAt);
          if (result.rejection !== undefined) continue;
          expect(result.state.lastAt).toBe(Math.max(before.lastAt, event.at));
          expect(result.late).toBe(event.at < before.lastAt ? before.lastAt - event.at : undefined);
        }
      }),
      RUNS,
    );
  });

  it('reports changed exactly when the presence id differs, and moves since to the applied time only then', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const { before, result } of walk(scenario).steps) {
          const differs = result.state.presenceId !== before.presenceId;
          expect(result.changed).toBe(differs);
          expect(result.state.since).toBe(differs ? result.state.lastAt : before.since);
        }
      }),
      RUNS,
    );
  });

  it('never throws on hostile or arbitrary input and refuses whatever is not an event with INVALID_EVENT', () => {
    const anyInput = fc.oneof(hostileEventArbitrary, fc.anything().map((value) => value as PresenceEvent));
    fc.assert(
      fc.property(scenarioArbitrary, fc.array(anyInput, { minLength: 1, maxLength: 5 }), (scenario, extra) => {
        const { machine, initial, steps } = walk(scenario);
        const reached = steps.at(-1)?.result.state ?? initial;
        for (const event of extra) {
          let result: Transition | undefined;
          expect(() => {
            result = machine.transition(reached, event);
          }).not.toThrow();
          if (isWellFormed(event)) continue;
          expect(result?.rejection?.code).toBe('INVALID_EVENT');
          expect(result?.state).toBe(reached);
        }
      }),
      RUNS,
    );
  });
});
