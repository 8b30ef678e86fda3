import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, EVENT_TYPES, STANDARD_PRESENCES, validateConfig, validateEvent } from '../../src/index';
import type { PresenceEvent, PresenceState } from '../../src/index';
import { parseConfig } from '../../src/schema/index';
import { agentDayArb, hostileInputArb, presenceConfigArb, presenceEventArb, presenceModel, TRICKY_IDS } from '../../src/testing/index';
import { modelEventRules } from '../../src/testing/modelEventRules';
import { root } from '../helpers/dist';
import { propertyRuns } from '../helpers/propertyRuns';
import { scenarioArb } from '../helpers/scenarioArb';

/** What the generators of agent-presence/testing promise: valid configs, well-formed events, plausible days, hostile input of every kind. */

const RUNS = propertyRuns({ ci: 300, deep: 10_000, mutation: 50 });
/** Samples for coverage checks: a fixed seed, so a check that something appears cannot flake. */
const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number): T[] => fc.sample(arb, { numRuns, seed: 20_240_601 });

const configAndAgent = presenceConfigArb().chain((config) =>
  fc.record({ config: fc.constant(config), agentId: fc.constantFrom(...Object.keys(config.agents ?? {}), 'agent-unlisted') }),
);

describe('presenceConfigArb', () => {
  it('generates only configs that createPresenceMachine and parseConfig accept', () => {
    fc.assert(
      fc.property(presenceConfigArb(), (config) => {
        expect(validateConfig(config)).toEqual([]);
        expect(() => createPresenceMachine(config)).not.toThrow();
        expect(parseConfig(config)).toBe(config);
      }),
      RUNS,
    );
  });

  it('uses custom presences of every base, inactive ones, profiles, capacity presences and tricky ids', () => {
    const configs = sample(presenceConfigArb(), 500);
    const presences = configs.flatMap((c) => c.presences ?? []);
    for (const base of ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'])
      expect(
        presences.some((p) => p.base === base),
        base,
      ).toBe(true);
    expect(presences.some((p) => p.active === false)).toBe(true);
    expect(presences.some((p) => TRICKY_IDS.includes(p.id))).toBe(true);
    expect(configs.some((c) => Object.hasOwn(c.agents ?? {}, '__proto__'))).toBe(true);
    expect(configs.some((c) => c.defaultProfile?.capacity === 0)).toBe(true);
    expect(configs.some((c) => c.capacityPresences?.full !== undefined && c.capacityPresences.full !== 'busy-dnd')).toBe(true);
  });

  it('follows its options: the agent ids given, at most so many presences, no tricky ids when asked', () => {
    for (const config of sample(presenceConfigArb({ agentIds: ['alice', 'bob'], maxPresences: 2, trickyIds: false }), 300)) {
      expect(Object.keys(config.agents ?? {}).every((id) => ['alice', 'bob'].includes(id))).toBe(true);
      expect((config.presences ?? []).length).toBeLessThanOrEqual(2);
      expect((config.presences ?? []).some((p) => TRICKY_IDS.includes(p.id))).toBe(false);
    }
  });
});

describe('presenceEventArb', () => {
  it('generates only well-formed events, with the times asked for', () => {
    fc.assert(
      fc.property(
        configAndAgent.chain(({ config, agentId }) => presenceEventArb(config, agentId, { at: fc.integer({ min: 5, max: 9 }) })),
        (event) => {
          expect(validateEvent(event)).toEqual([]);
          expect(event.at).toBeGreaterThanOrEqual(5);
          expect(event.at).toBeLessThanOrEqual(9);
        },
      ),
      RUNS,
    );
  });

  it('generates every event type, with a rule for each in the reference model', () => {
    const types = new Set(sample(presenceEventArb({}, 'agent-7'), 300).map((event) => event.type));
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
    expect(Object.keys(modelEventRules).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('draws work item ids from the pool given', () => {
    const events = sample(presenceEventArb({}, 'agent-7', { workItemIds: ['only-this'] }), 300);
    const ids = new Set(events.flatMap((e) => (e.type === 'workAssigned' ? [e.workItemId] : [])));
    expect([...ids]).toEqual(['only-this']);
  });
});

describe('agentDayArb', () => {
  it('generates days the machine accepts event by event, in time order, from sign-in to sign-out', () => {
    fc.assert(
      fc.property(
        presenceConfigArb().chain((config) => agentDayArb(config).map((day) => ({ config, day }))),
        ({ config, day }) => {
          const machine = createPresenceMachine(config);
          const { events } = day;
          expect(events[0]?.type).toBe('signIn');
          let state: PresenceState = machine.initialState(day.agentId);
          events.forEach((event, index) => {
            if (index > 0) expect(event.at).toBeGreaterThanOrEqual((events[index - 1] as PresenceEvent).at);
            const result = machine.transition(state, event);
            expect(result.rejection, `${index}: ${JSON.stringify(event)}`).toBeUndefined();
            state = result.state;
          });
          const lastSignOut = events.map((e) => e.type).lastIndexOf('signOut');
          expect(events.slice(lastSignOut + 1).every((e) => e.type === 'workReleased')).toBe(true);
          expect(state.signedIn).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('includes work, picks, breaks and work released after sign-out, for the agent asked for', () => {
    const days = sample(agentDayArb({ presences: [{ id: 'lunch', name: 'Lunch', base: 'Away' }] }, { agentId: 'agent-7', maxSteps: 20 }), 200);
    expect(days.every((day) => day.agentId === 'agent-7')).toBe(true);
    const events = days.flatMap((day) => day.events);
    for (const type of EVENT_TYPES)
      expect(
        events.some((e) => e.type === type),
        type,
      ).toBe(true);
    expect(events.some((e) => e.type === 'setPresence' && e.presenceId === 'lunch')).toBe(true);
    expect(days.some((day) => day.events.filter((e) => e.type === 'signIn').length > 1)).toBe(true);
    expect(days.some((day) => day.events.at(-1)?.type === 'workReleased')).toBe(true);
  });
});

describe('hostileInputArb', () => {
  it('generates every kind of hostile input the issue names', () => {
    const inputs = sample(hostileInputArb(), 3_000);
    /** Whether reading the value (its prototype, or every field) throws: a hostile getter or proxy. */
    const throwsOnRead = (value: unknown) => {
      try {
        Object.getPrototypeOf(value);
        Object.values(value as object);
        return false;
      } catch {
        return true;
      }
    };
    const trapped = (value: unknown) => {
      try {
        Object.getPrototypeOf(value);
        return false;
      } catch {
        return true;
      }
    };
    const hostileReads = inputs.filter((i) => typeof i === 'object' && i !== null && throwsOnRead(i));
    const objects = inputs.filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null && !Array.isArray(i) && !throwsOnRead(i));
    const values = objects.flatMap((o) => Object.values(o));
    const getters = objects.filter((o) => Object.values(Object.getOwnPropertyDescriptors(o)).some((d) => d.get !== undefined));
    const kinds: Record<string, boolean> = {
      'not an object': inputs.some((i) => typeof i !== 'object' || i === null),
      'an array': inputs.some((i) => Array.isArray(i)),
      'a missing field': objects.some((o) => o.type === 'workAssigned' && !('units' in o)),
      'a wrong type of field': objects.some((o) => typeof o.at === 'string'),
      NaN: values.some((v) => Number.isNaN(v)),
      Infinity: values.some((v) => v === Number.POSITIVE_INFINITY),
      'negative units': objects.some((o) => typeof o.units === 'number' && o.units < 0),
      'a 1 MB string': values.some((v) => typeof v === 'string' && v.length >= 1 << 20),
      'an own __proto__ key': objects.some((o) => Object.hasOwn(o, '__proto__')),
      'an own constructor key': objects.some((o) => Object.hasOwn(o, 'constructor')),
      'a prototype-pollution id': objects.some((o) => ['__proto__', 'constructor', 'prototype'].includes(o.workItemId as string)),
      'an unknown type': objects.some((o) => typeof o.type === 'string' && !(EVENT_TYPES as readonly string[]).includes(o.type)),
      'a valid event (with tricky ids)': inputs.some((i) => validateEvent(i).length === 0),
      'a time past what a Date holds': values.some((v) => typeof v === 'number' && Number.isFinite(v) && v > 8.64e15),
      'a valid time far ahead of any clock': values.some((v) => v === 1e15),
      'a lone surrogate': values.some((v) => typeof v === 'string' && /\p{Cs}/u.test(v)),
      'a getter returning a value': getters.length > 0,
      'a getter that throws': hostileReads.some((i) => !trapped(i)),
      'a proxy whose trap throws': hostileReads.some(trapped),
    };
    expect(
      Object.entries(kinds)
        .filter(([, found]) => !found)
        .map(([kind]) => kind),
    ).toEqual([]);
  });
});

describe('the scenarios of the property tests', () => {
  it('reach every refusal code, late events, sticky choices, every capacity level, every source and a queued pick', () => {
    const seen = new Set<string>();
    for (const scenario of sample(scenarioArb, 600)) {
      const machine = createPresenceMachine(scenario.config);
      let state = machine.initialState(scenario.agentId, scenario.start);
      for (const event of scenario.events) {
        const result = machine.transition(state, event);
        if (result.rejection) seen.add(result.rejection.code);
        if (result.late !== undefined) seen.add('late');
        if (result.nextDeadline !== undefined) seen.add('deadline');
        if (result.state.next !== null) seen.add('queued');
        if (result.state.choice !== null && ['Away', 'BusyDND', 'Offline'].includes(result.state.choice.base)) seen.add('sticky');
        if (result.state.source === 'capacity') seen.add(`capacity:${result.state.base}`);
        seen.add(`source:${result.state.source}`);
        state = result.state;
      }
    }
    const wanted = [
      ...['INVALID_EVENT', 'NOT_SIGNED_IN', 'UNKNOWN_PRESENCE', 'PRESENCE_INACTIVE', 'PRESENCE_NOT_ALLOWED', 'PRESENCE_NOT_SELECTABLE'],
      ...['DUPLICATE_WORK_ITEM', 'UNKNOWN_WORK_ITEM', 'UNKNOWN_CAPACITY_PROFILE', 'UNKNOWN_SESSION', 'TOO_MANY_SESSIONS', 'TOO_MANY_WORK_ITEMS'],
      ...['late', 'deadline', 'queued', 'sticky', 'capacity:Available', 'capacity:Busy', 'capacity:BusyDND'],
      ...['signOut', 'expired', 'disconnected', 'missed', 'rejected', 'manual', 'default', 'idle', 'wrapUp', 'capacity'].map((s) => `source:${s}`),
    ];
    expect(wanted.filter((w) => !seen.has(w))).toEqual([]);
  });
});

describe('the reference model', () => {
  it('imports nothing but types from the rest of the package, so it cannot share the machine’s mistakes', () => {
    const files = ['presenceModel.ts', 'modelEventRules.ts', 'modelAgentRules.ts'];
    const runtimeImports = files.flatMap((name) => {
      const source = ts.createSourceFile(name, readFileSync(join(root, 'src', 'testing', name), 'utf8'), ts.ScriptTarget.Latest);
      return source.statements.flatMap((statement) => {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) return [];
        const from = statement.moduleSpecifier.text;
        const clause = statement.importClause;
        const typeOnly =
          clause?.isTypeOnly === true ||
          (clause?.name === undefined &&
            clause?.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly));
        const local = from.startsWith('./') && files.includes(`${from.slice(2)}.ts`);
        return typeOnly || local ? [] : [`${name}: ${from}`];
      });
    });
    expect(runtimeImports).toEqual([]);
  });

  it('has its own table of the standard presences, equal to the machine’s', () => {
    const model = presenceModel({});
    for (const p of STANDARD_PRESENCES) {
      const state = { ...model.initialState('a'), presenceId: p.id, base: p.base };
      expect(model.presenceOf(state)).toMatchObject({ name: p.name, text: p.text, base: p.base });
    }
  });
});
