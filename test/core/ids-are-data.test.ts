import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine, validateConfig } from '../../src/index';
import type { PresenceConfig, PresenceEvent, PresenceMachine, PresenceState } from '../../src/index';
import { parseConfig, parseEvent, presenceConfigSchema } from '../../src/schema/index';
import { agentDayArb, presenceConfigArb, presenceModel, TRICKY_IDS } from '../../src/testing/index';
import { propertyRuns } from '../helpers/propertyRuns';

/**
 * Ids are data: an agent, presence or work item id such as `__proto__`, `constructor`, `hasOwnProperty` or
 * `toString` works like any other id, in the state, the config's agents map, the presence catalog, work items
 * and the schema.
 */

/** Config text as it comes from a file or a database: JSON.parse makes `__proto__` an own key, as data should be. */
function configFor(id: string): PresenceConfig {
  return JSON.parse(`{
    "presences": [
      { "id": ${JSON.stringify(id)}, "name": "Tricky", "text": "Tricky text", "base": "Away" },
      { "id": ${JSON.stringify(`${id}-dnd`)}, "name": "Tricky DND", "base": "BusyDND" }
    ],
    "defaultProfile": { "capacity": 100, "presenceIds": [] },
    "agents": { ${JSON.stringify(id)}: { "defaultPresenceId": ${JSON.stringify(id)}, "presenceIds": [${JSON.stringify(id)}], "capacity": 30, "maxWorkItems": 2 } },
    "capacityPresences": { "full": ${JSON.stringify(`${id}-dnd`)} }
  }`);
}

function play(machine: PresenceMachine, state: PresenceState, events: readonly PresenceEvent[]) {
  return events.map((event) => {
    const result = machine.transition(state, event);
    state = result.state;
    return result;
  });
}

describe.each(TRICKY_IDS)('the id %j', (id) => {
  let config: PresenceConfig;
  let machine: PresenceMachine;
  beforeEach(() => {
    config = configFor(id);
    machine = createPresenceMachine(config);
  });

  it('is an agent of the config’s agents map with its own profile, and other agents keep the default profile', () => {
    expect(Object.hasOwn(config.agents ?? {}, id)).toBe(true);
    expect(validateConfig(config)).toEqual([]);
    expect(machine.profileOf(id)).toMatchObject({ defaultPresenceId: id, presenceIds: [id], capacity: 30, maxWorkItems: 2 });
    expect(machine.profileOf('someone-else')).toMatchObject({ defaultPresenceId: 'available', presenceIds: [], capacity: 100 });
    expect(createPresenceMachine({}).profileOf(id)).toMatchObject({ defaultPresenceId: 'available', capacity: 100, maxWorkItems: undefined });
  });

  it('is a presence of the catalog: the agent’s default at sign-in, pickable, and a capacity presence', () => {
    expect(machine.presences.map((p) => p.id)).toContain(id);
    const [signedIn, dnd, picked] = play(machine, machine.initialState(id), [
      { type: 'signIn', at: 1 },
      { type: 'setPresence', presenceId: `${id}-dnd`, at: 2 },
      { type: 'setPresence', presenceId: id, at: 3 },
    ]);
    expect(signedIn?.presence).toMatchObject({ presenceId: id, text: 'Tricky text', base: 'Away', source: 'default' });
    expect(dnd?.rejection?.code).toBe('PRESENCE_NOT_ALLOWED');
    expect(picked?.presence).toMatchObject({ presenceId: id, source: 'manual' });
    expect(machine.selectablePresences(picked?.state as PresenceState).map((p) => p.id)).toContain(id);
    const full = play(machine, machine.initialState('someone-else'), [
      { type: 'signIn', at: 1 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 100, at: 2 },
    ]).at(-1);
    expect(full?.presence).toMatchObject({ presenceId: `${id}-dnd`, source: 'capacity' });
  });

  it('is an agent id in the state, through a JSON round trip', () => {
    const [, assigned] = play(machine, machine.initialState(id), [
      { type: 'signIn', at: 1 },
      { type: 'workAssigned', workItemId: 'chat-1', units: 30, at: 2 },
    ]);
    const state = assigned?.state as PresenceState;
    expect(state.agentId).toBe(id);
    expect(state.base).toBe('Away'); // its sticky default holds; its capacity of 30 is full underneath
    const copy: PresenceState = JSON.parse(JSON.stringify(state));
    expect(copy).toEqual(state);
    expect(machine.transition(copy, { type: 'workReleased', workItemId: 'chat-1', at: 3 }).rejection).toBeUndefined();
  });

  it('is a work item: held, refused twice, released once, and not found when it was never assigned', () => {
    const results = play(machine, machine.initialState('someone-else'), [
      { type: 'workReleased', workItemId: id, at: 1 },
      { type: 'workAssigned', workItemId: id, units: 10, at: 2 },
      { type: 'workAssigned', workItemId: id, units: 10, at: 3 },
      { type: 'workReleased', workItemId: id, at: 4 },
      { type: 'workReleased', workItemId: id, at: 5 },
    ]);
    expect(results.map((r) => r.rejection?.code)).toEqual(['UNKNOWN_WORK_ITEM', undefined, 'DUPLICATE_WORK_ITEM', undefined, 'UNKNOWN_WORK_ITEM']);
    expect(results[1]?.state.work).toEqual([{ workItemId: id, units: 10, since: 2 }]);
    expect(results[3]?.state.work).toEqual([]);
  });

  it('is kept by the schema: parseConfig and presenceConfigSchema keep the agent, parseEvent keeps the ids', () => {
    const parsed = parseConfig(config);
    expect(Object.hasOwn(parsed.agents ?? {}, id)).toBe(true);
    expect(parsed.agents?.[id]?.capacity).toBe(30);
    expect(presenceConfigSchema.parse(config)).toEqual(config);
    expect(parseEvent({ type: 'setPresence', presenceId: id, at: 1 })).toEqual({ type: 'setPresence', presenceId: id, at: 1 });
    expect(parseEvent({ type: 'workAssigned', workItemId: id, units: 1, at: 1, eventId: id })).toEqual({
      type: 'workAssigned',
      workItemId: id,
      units: 1,
      at: 1,
      eventId: id,
    });
  });

  it('is read the same way by the reference model', () => {
    const model = presenceModel(config);
    const { state } = model.transition(model.initialState(id), { type: 'signIn', at: 1 });
    expect(state).toEqual(machine.transition(machine.initialState(id), { type: 'signIn', at: 1 }).state);
  });
});

describe('ids are data', () => {
  it('leaves no prototype changed after all of the above', () => {
    expect(({} as { capacity?: unknown }).capacity).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('refuses an agents map written as a literal { __proto__: … }, which sets a prototype instead of naming an agent', () => {
    const literal = { agents: { __proto__: { capacity: 5 } } } as unknown as PresenceConfig;
    const issues = validateConfig(literal);
    expect(issues.map((issue) => issue.path)).toEqual([['agents']]);
    expect(issues[0]?.message).toBe('must be an object (got an instance of Object)');
  });

  it('holds for agent days of agents with tricky ids, which agree with the reference model', () => {
    const arb = presenceConfigArb({ agentIds: TRICKY_IDS }).chain((config) =>
      fc.constantFrom(...TRICKY_IDS).chain((agentId) => agentDayArb(config, { agentId }).map((day) => ({ config, day }))),
    );
    fc.assert(
      fc.property(arb, ({ config, day }) => {
        const machine = createPresenceMachine(config);
        const model = presenceModel(config);
        let state = machine.initialState(day.agentId);
        for (const event of day.events) {
          const result = machine.transition(state, event);
          expect(result.state).toStrictEqual(model.transition(state, event).state);
          expect(result.rejection).toBeUndefined();
          state = result.state;
        }
      }),
      propertyRuns({ ci: 300, deep: 20_000, mutation: 20 }),
    );
  });
});
