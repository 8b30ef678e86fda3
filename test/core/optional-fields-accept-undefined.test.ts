/**
 * Every optional field of the public input types may be given as `undefined`, in the types (this file is compiled
 * with `exactOptionalPropertyTypes: true`, as strict users compile theirs: each literal below is typed with the
 * public type it stands for) and at run time (each behaves exactly as if the field were left out). A user who
 * forwards `units: request.units` from an optional field of their own must not need a conditional spread.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPresenceMachine,
  EVENT_FIELDS,
  validateConfig,
  validateEvent,
  type CapacityPresences,
  type PresenceConfig,
  type PresenceEvent,
  type PresenceInput,
  type WorkRequest,
} from '../../src/index';
import { parseConfig, parseEvent } from '../../src/schema/index';
import {
  createMemoryHistoryStore,
  createMemoryPublisher,
  createPresenceService,
  createTimerScheduler,
  type AssignOptions,
  type DispatchOptions,
  type PresenceServiceOptions,
  type RosterQuery,
} from '../../src/service/index';
import { createRedisPresence, type RedisFollowOptions, type RedisPresenceOptions, type RedisTimerRunOptions } from '../../src/redis/index';
import { setCapacity } from '../../src/admin/index';
import { agentDayArb, presenceConfigArb, presenceEventArb, presenceModel } from '../../src/testing/index';

/** Each event type with every optional field given as undefined, typed as the public event type. */
const eventsWithUndefined: PresenceEvent[] = [
  { type: 'signIn', at: 10, sessionId: undefined, eventId: undefined },
  { type: 'heartbeat', at: 11, sessionId: undefined, eventId: undefined },
  { type: 'activity', at: 12, eventId: undefined },
  { type: 'setPresence', presenceId: 'busy', at: 13, when: undefined, eventId: undefined },
  { type: 'resetPresence', at: 14, eventId: undefined },
  { type: 'workAssigned', workItemId: 'chat-1', units: 20, profile: undefined, at: 15, eventId: undefined },
  { type: 'workAssigned', workItemId: 'case-1', units: undefined, profile: 'case', at: 16, eventId: undefined },
  { type: 'workReleased', workItemId: 'chat-1', wrapUpMs: undefined, at: 17, eventId: undefined },
  { type: 'wrapUpEnded', workItemId: 'chat-1', at: 18, eventId: undefined },
  { type: 'workMissed', workItemId: undefined, at: 19, eventId: undefined },
  { type: 'workRejected', workItemId: undefined, at: 20, eventId: undefined },
  { type: 'tick', at: 21, eventId: undefined },
  { type: 'disconnected', at: 22, sessionId: undefined, eventId: undefined },
  { type: 'signOut', at: 23, sessionId: undefined, eventId: undefined },
];

/** The same object without its undefined fields: what the field left out means. */
const withoutUndefined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

const presence: PresenceInput = { id: 'lunch', name: 'Lunch', base: 'Away', text: undefined, description: undefined, active: undefined, selectable: undefined };
const slots: CapacityPresences = { none: undefined, partial: undefined, full: undefined };
const configWithUndefined: PresenceConfig = {
  presences: [presence],
  defaultProfile: {
    defaultPresenceId: undefined,
    presenceIds: undefined,
    capacity: undefined,
    maxWorkItems: undefined,
    capacityProfiles: { case: { maxItems: 2, blocking: undefined } },
    sessionTtlMs: undefined,
    reconnectGraceMs: undefined,
    idleAfterMs: undefined,
    idlePresenceId: undefined,
    wrapUpMs: undefined,
    wrapUpPresenceId: undefined,
    onMissed: undefined,
    onRejected: undefined,
  },
  agents: undefined,
  capacityPresences: slots,
};
const configLeftOut: PresenceConfig = {
  presences: [{ id: 'lunch', name: 'Lunch', base: 'Away' }],
  defaultProfile: { capacityProfiles: { case: { maxItems: 2 } } },
  capacityPresences: {},
};

describe('an optional field given as undefined', () => {
  it('covers every optional field of every event type', () => {
    const given = new Set(
      eventsWithUndefined.flatMap((e) =>
        Object.entries(e)
          .filter(([, v]) => v === undefined)
          .map(([k]) => `${e.type}.${k}`),
      ),
    );
    const optional = Object.entries(EVENT_FIELDS).flatMap(([type, fields]) =>
      fields.filter(([, , required]) => required !== true).map(([field]) => `${type}.${field}`),
    );
    expect(optional.filter((field) => !given.has(field))).toEqual([]);
  });

  it('in an event: validateEvent, parseEvent, the machine and the reference model treat it as left out', () => {
    const config: PresenceConfig = { defaultProfile: { wrapUpMs: 1_000, capacityProfiles: { case: { maxItems: 2 } } } };
    const machine = createPresenceMachine(config);
    const model = presenceModel(config);
    let state = machine.initialState('agent-7');
    let modelState = model.initialState('agent-7');
    for (const event of eventsWithUndefined) {
      expect(validateEvent(event), event.type).toEqual([]);
      expect(withoutUndefined(parseEvent(event)), event.type).toEqual(withoutUndefined(event));
      const leftOut = withoutUndefined(event);
      const r = machine.transition(state, event);
      expect(r, event.type).toEqual(machine.transition(state, leftOut));
      expect(r.rejection, event.type).toBeUndefined();
      const m = model.transition(modelState, event);
      expect(m, event.type).toEqual(model.transition(modelState, leftOut));
      state = r.state;
      modelState = m.state;
    }
  });

  it('in a config: validateConfig and parseConfig accept it, and the machine is the one the config without it makes', () => {
    expect(validateConfig(configWithUndefined)).toEqual([]);
    expect(() => parseConfig(configWithUndefined)).not.toThrow();
    const a = createPresenceMachine(configWithUndefined);
    const b = createPresenceMachine(configLeftOut);
    expect(a.presences).toEqual(b.presences);
    expect(a.profileOf('agent-7')).toEqual(b.profileOf('agent-7'));
    const request: WorkRequest = { units: undefined, profile: undefined };
    expect(a.canTake(a.initialState('agent-7'), request)).toBe(true);
    expect(a.canTake(a.initialState('agent-7'), { units: undefined, profile: 'case' })).toBe(b.canTake(b.initialState('agent-7'), { profile: 'case' }));
  });

  it('in the service: options, dispatch options, roster queries and the admin helpers', async () => {
    const options: PresenceServiceOptions = {
      machine: createPresenceMachine({}),
      store: undefined,
      publisher: undefined,
      clock: undefined,
      scheduler: undefined,
      history: undefined,
      maxAttempts: undefined,
      dedupWindowMs: undefined,
      dedupMaxIds: undefined,
      onError: undefined,
    };
    const service = createPresenceService(options);
    const dispatchOptions: DispatchOptions = { precondition: undefined };
    const result = await service.dispatch('agent-7', { type: 'signIn', at: 1_000 }, dispatchOptions);
    expect(result.declined).toBeUndefined();
    expect(result.state.signedIn).toBe(true);
    const query: RosterQuery = { units: 10, profile: undefined, bases: ['Available'], presenceIds: undefined, limit: 5, order: 'mostFree' };
    expect((await service.findAvailable(query)).map((c) => c.agentId)).toEqual(['agent-7']);
    await service.close();

    expect(setCapacity({}, { capacity: undefined, maxWorkItems: undefined })).toEqual({ defaultProfile: {} });
    expect(() => createMemoryHistoryStore({ limit: undefined })).not.toThrow();
    expect(() => createMemoryPublisher({ limit: undefined })).not.toThrow();
    expect(createTimerScheduler({ clock: undefined }).size).toBe(0);
  });

  it('in the Redis options: the layout is the default one', () => {
    const client = { sendCommand: () => Promise.reject(new Error('not connected')) };
    const options: RedisPresenceOptions = { keyPrefix: undefined, shards: undefined, maxLen: undefined, historyLimit: undefined, leaseMs: undefined };
    expect(createRedisPresence(client, options).store.keysOf('agent-7')).toEqual(createRedisPresence(client).store.keysOf('agent-7'));
    // Typed only: these take effect once connected (the Redis suites run them).
    const follow: RedisFollowOptions = { from: undefined, pollMs: undefined, batch: undefined, onEntry: undefined, onError: undefined };
    const timers: RedisTimerRunOptions = { pollMs: undefined, limit: undefined, clock: undefined, onError: undefined };
    const assign: AssignOptions = { bases: ['Available'], presenceIds: undefined };
    expect([follow, timers, assign]).toHaveLength(3);
  });

  it('in the testing kit options: the arbitraries generate as with the option left out', () => {
    const config = fc.sample(presenceConfigArb({ agentIds: undefined, maxPresences: undefined, trickyIds: undefined }), { numRuns: 5, seed: 1 });
    expect(config).toEqual(fc.sample(presenceConfigArb(), { numRuns: 5, seed: 1 }));
    const events = fc.sample(presenceEventArb(configLeftOut, 'agent-7', { workItemIds: undefined, at: undefined }), { numRuns: 5, seed: 2 });
    expect(events).toEqual(fc.sample(presenceEventArb(configLeftOut, 'agent-7'), { numRuns: 5, seed: 2 }));
    const days = fc.sample(agentDayArb(configLeftOut, { agentId: undefined, start: undefined, maxSteps: undefined }), { numRuns: 3, seed: 3 });
    expect(days).toEqual(fc.sample(agentDayArb(configLeftOut), { numRuns: 3, seed: 3 }));
  });
});
