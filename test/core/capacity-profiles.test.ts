import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canTakeWork, capacityLevel, createPresenceMachine, measureCapacity, validateConfig, type PresenceConfig, type PresenceEvent } from '../../src/index';
import { safeParseEvent } from '../../src/schema/index';
import { release, run, signIn } from '../helpers/run';

const item = (workItemId: string, profile: string, at: number, units?: number): PresenceEvent =>
  units === undefined ? { type: 'workAssigned', workItemId, profile, at } : { type: 'workAssigned', workItemId, profile, units, at };

const config: PresenceConfig = {
  defaultProfile: {
    capacity: 100,
    capacityProfiles: { chat: { maxItems: 2, blocking: true }, case: { maxItems: 3 } },
  },
  agents: {
    // Only non-blocking profiles: full waits for all of them.
    patient: { capacityProfiles: { chat: { maxItems: 1 }, case: { maxItems: 2 } } },
    // JSON.parse makes "__proto__" an own key, as config read off a wire or a database has it.
    proto: { capacityProfiles: JSON.parse('{"__proto__": { "maxItems": 1, "blocking": true }, "constructor": { "maxItems": 2 } }') },
  },
};
const machine = createPresenceMachine(config);
const presenceAfter = (agentId: string, events: PresenceEvent[]) => run(machine, agentId, [signIn(0), ...events]).presence.presenceId;

describe('capacity profiles in the config', () => {
  it('are checked field by field, with the path of each problem', () => {
    const issues = validateConfig({
      defaultProfile: { capacityProfiles: { chat: { maxItems: 0 }, case: { maxItems: 2.5, blocking: 'yes' }, lead: 3, x: { maxItems: 1, limit: 2 } } },
      agents: { a1: { capacityProfiles: [] } },
    });
    expect(issues).toEqual([
      { path: ['defaultProfile', 'capacityProfiles', 'chat', 'maxItems'], message: 'must be a whole number ≥ 1 (got 0)' },
      { path: ['defaultProfile', 'capacityProfiles', 'case', 'maxItems'], message: 'must be a whole number ≥ 1 (got 2.5)' },
      { path: ['defaultProfile', 'capacityProfiles', 'case', 'blocking'], message: 'must be true or false (got "yes")' },
      { path: ['defaultProfile', 'capacityProfiles', 'lead'], message: 'must be an object (got 3)' },
      { path: ['defaultProfile', 'capacityProfiles', 'x', 'limit'], message: 'is not a known field (known: maxItems, blocking)' },
      { path: ['agents', 'a1', 'capacityProfiles'], message: 'must be an object (got an array)' },
    ]);
  });

  it("are settled per agent: an agent's own map replaces the default profile's, blocking defaults to false", () => {
    expect([...machine.profileOf('anyone').capacityProfiles]).toEqual([
      ['chat', { maxItems: 2, blocking: true }],
      ['case', { maxItems: 3, blocking: false }],
    ]);
    expect([...machine.profileOf('patient').capacityProfiles.keys()]).toEqual(['chat', 'case']);
    expect(createPresenceMachine({}).profileOf('a1').capacityProfiles.size).toBe(0);
  });
});

describe('a work item naming a capacity profile', () => {
  it('may leave out units (0 then), while one without a profile may not', () => {
    const held = run(machine, 'a1', [signIn(0), item('case-1', 'case', 1)]);
    expect(held.state.work).toEqual([{ workItemId: 'case-1', units: 0, since: 1, profile: 'case' }]);
    expect(held.presence.presenceId).toBe('busy');

    const bare = { type: 'workAssigned', workItemId: 'chat-1', at: 1 };
    const refused = machine.transition(held.state, bare as never);
    expect(refused.rejection?.code).toBe('INVALID_EVENT');
    expect(refused.rejection?.message).toContain('units must be a finite number ≥ 0 (got undefined)');
    expect(refused.state).toBe(held.state);
    const parsed = safeParseEvent(bare);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues).toEqual([{ path: ['units'], message: 'must be a finite number ≥ 0 (got undefined)' }]);
    expect(safeParseEvent({ ...bare, profile: 'chat' })).toEqual({ success: true, data: { ...bare, profile: 'chat' } });
  });

  it('counts its units against the capacity as well', () => {
    expect(presenceAfter('a1', [item('case-1', 'case', 1, 60), item('case-2', 'case', 2, 40)])).toBe('busy-dnd');
  });

  it('is refused when the agent has no such profile, naming agent and profile, and nothing changes', () => {
    const before = run(machine, 'a1', [signIn(0)]).state;
    const result = machine.transition(before, item('email-1', 'email', 1, 5));
    expect(result.rejection).toEqual({
      code: 'UNKNOWN_CAPACITY_PROFILE',
      message: 'Agent "a1": capacity profile "email" is not the agent\'s',
    });
    expect(result.state).toBe(before);
    const none = createPresenceMachine({});
    expect(none.transition(none.initialState('b'), item('x', 'chat', 1)).rejection).toEqual({
      code: 'UNKNOWN_CAPACITY_PROFILE',
      message: 'Agent "b": capacity profile "chat" is not the agent\'s',
    });
  });

  it('beyond the profile limit is accepted (forced), and shows in the report as negative free', () => {
    const result = run(machine, 'patient', [signIn(0), item('chat-1', 'chat', 1), item('chat-2', 'chat', 2)]);
    expect(result.state.work).toHaveLength(2);
    expect(machine.capacityOf(result.state).profiles.chat).toEqual({ held: 2, max: 1, free: -1, blocking: false });
  });
});

describe('full with capacity profiles', () => {
  it('comes with a blocking profile at its limit, whatever the others hold', () => {
    expect(presenceAfter('a1', [item('chat-1', 'chat', 1)])).toBe('busy');
    expect(presenceAfter('a1', [item('chat-1', 'chat', 1), item('chat-2', 'chat', 2)])).toBe('busy-dnd');
  });

  it('does not come with a non-blocking profile at its limit while there is a blocking one', () => {
    expect(presenceAfter('a1', [item('case-1', 'case', 1), item('case-2', 'case', 2), item('case-3', 'case', 3)])).toBe('busy');
  });

  it('waits, when every profile is non-blocking, until all of them are at their limits', () => {
    expect(presenceAfter('patient', [item('chat-1', 'chat', 1)])).toBe('busy');
    expect(presenceAfter('patient', [item('chat-1', 'chat', 1), item('case-1', 'case', 2)])).toBe('busy');
    const full = run(machine, 'patient', [signIn(0), item('chat-1', 'chat', 1), item('case-1', 'case', 2), item('case-2', 'case', 3)]);
    expect(full.presence.presenceId).toBe('busy-dnd');
    expect(run(machine, full.state, [release('case-2', 4)]).presence.presenceId).toBe('busy');
  });

  it('still comes from maxWorkItems and plain items beside the profiles', () => {
    const limited = createPresenceMachine({ defaultProfile: { maxWorkItems: 2, capacityProfiles: { chat: { maxItems: 5 } } } });
    const result = run(limited, 'a1', [signIn(0), item('chat-1', 'chat', 1), { type: 'workAssigned', workItemId: 'call-1', units: 10, at: 2 }]);
    expect(result.presence.presenceId).toBe('busy-dnd');
  });

  it('works with profile names that are Object.prototype keys', () => {
    expect(presenceAfter('proto', [item('w1', 'constructor', 1)])).toBe('busy');
    expect(presenceAfter('proto', [item('w1', '__proto__', 1)])).toBe('busy-dnd');
    const state = run(machine, 'proto', [signIn(0), item('w1', '__proto__', 1)]).state;
    expect(Object.keys(machine.capacityOf(state).profiles)).toEqual(['__proto__', 'constructor']);
    expect(machine.canTake(state, { profile: 'toString' })).toBe(false);
    expect(machine.canTake(run(machine, 'proto', [signIn(0)]).state, { profile: 'constructor' })).toBe(true);
  });
});

describe('capacityOf and canTake', () => {
  const held = run(machine, 'a1', [signIn(0), item('chat-1', 'chat', 1, 30), { type: 'workAssigned', workItemId: 'call-1', units: 20, at: 2 }]).state;

  it('report units, items and each profile', () => {
    expect(machine.capacityOf(held)).toEqual({
      level: 'partial',
      units: { used: 50, capacity: 100, free: 50 },
      items: { held: 2, max: null },
      profiles: { chat: { held: 1, max: 2, free: 1, blocking: true }, case: { held: 0, max: 3, free: 3, blocking: false } },
    });
  });

  it('say whether one more item fits its units, the item limit and its profile', () => {
    expect(machine.canTake(held, { units: 50 })).toBe(true);
    expect(machine.canTake(held, { units: 50.5 })).toBe(false);
    expect(machine.canTake(held, { units: 10, profile: 'chat' })).toBe(true);
    expect(machine.canTake(held, { profile: 'email' })).toBe(false);
    const twoChats = run(machine, held, [item('chat-2', 'chat', 3, 0)]).state;
    expect(machine.canTake(twoChats, {})).toBe(false); // blocking profile full: Do not disturb
    const patient = run(machine, 'patient', [signIn(0), item('chat-1', 'chat', 1)]).state;
    expect(machine.canTake(patient, { profile: 'chat' })).toBe(false);
    expect(machine.canTake(patient, { profile: 'case' })).toBe(true);
    const limited = createPresenceMachine({ defaultProfile: { maxWorkItems: 1 } });
    expect(limited.canTake(limited.initialState('a'), { units: 100 })).toBe(true);
    expect(limited.canTake(limited.initialState('a'), { units: 100.01 })).toBe(false);
  });
});

describe('measureCapacity, canTakeWork and capacityLevel given limits without capacity profiles', () => {
  const limits = { capacity: 100, maxWorkItems: undefined };
  const held = (...units: number[]) => units.map((u, i) => ({ workItemId: `w${i}`, units: u, since: 0 }));

  it('report no profiles and the level and units of the work', () => {
    expect(measureCapacity([], limits)).toEqual({
      level: 'none',
      units: { used: 0, capacity: 100, free: 100 },
      items: { held: 0, max: null },
      profiles: {},
    });
    expect(measureCapacity(held(40, 20), limits)).toEqual({
      level: 'partial',
      units: { used: 60, capacity: 100, free: 40 },
      items: { held: 2, max: null },
      profiles: {},
    });
    expect(measureCapacity(held(60, 40), limits).level).toBe('full');
    expect(capacityLevel(held(40), limits)).toBe('partial');
    expect(capacityLevel(held(40), { ...limits, capacityProfiles: new Map() })).toBe('partial');
  });

  it('never fit a request naming a profile, and answer a request without one by units', () => {
    expect(canTakeWork([], limits, { units: 10, profile: 'chat' })).toBe(false);
    expect(canTakeWork([], limits, { profile: 'chat' })).toBe(false);
    expect(canTakeWork(held(60), limits, { units: 40 })).toBe(true);
    expect(canTakeWork(held(60), limits, { units: 41 })).toBe(false);
    expect(canTakeWork([], limits, {})).toBe(true);
  });

  it('count items that name a profile by their units only', () => {
    const work = [
      { workItemId: 'chat-1', units: 30, since: 0, profile: 'chat' },
      { workItemId: 'chat-2', units: 0, since: 0, profile: 'chat' },
    ];
    expect(measureCapacity(work, limits)).toEqual({
      level: 'partial',
      units: { used: 30, capacity: 100, free: 70 },
      items: { held: 2, max: null },
      profiles: {},
    });
    expect(capacityLevel(work, limits)).toBe('partial');
    expect(canTakeWork(work, limits, { units: 70 })).toBe(true);
    expect(canTakeWork(work, limits, { units: 71 })).toBe(false);
    expect(canTakeWork(work, limits, { units: 1, profile: 'chat' })).toBe(false);
    expect(capacityLevel([...work, { workItemId: 'case-1', units: 70, since: 0, profile: 'case' }], limits)).toBe('full');
  });
});

describe('properties of capacity profiles', () => {
  const profiles = { a: { maxItems: 2, blocking: true }, b: { maxItems: 3 }, c: { maxItems: 1 } };
  const byProfile = createPresenceMachine({ defaultProfile: { capacity: 10, capacityProfiles: profiles } });
  const steps = fc.array(
    fc.record({ release: fc.boolean(), n: fc.integer({ min: 0, max: 5 }), profile: fc.constantFrom('a', 'b', 'c'), units: fc.integer({ min: 0, max: 4 }) }),
    { maxLength: 40 },
  );

  it('held counts equal assigned minus released per profile, and full exactly when a condition holds', () => {
    fc.assert(
      fc.property(steps, (ops) => {
        let state = run(byProfile, 'x', [signIn(0)]).state;
        const held = new Map<string, { profile: string; units: number }>();
        ops.forEach((op, i) => {
          const id = `w${op.n}`;
          const event: PresenceEvent = op.release ? { type: 'workReleased', workItemId: id, at: i + 1 } : item(id, op.profile, i + 1, op.units);
          const result = byProfile.transition(state, event);
          if (result.rejection === undefined) {
            if (op.release) held.delete(id);
            else held.set(id, { profile: op.profile, units: op.units });
          } else {
            expect(result.rejection.code).toBe(op.release ? 'UNKNOWN_WORK_ITEM' : 'DUPLICATE_WORK_ITEM');
          }
          state = result.state;
          const count = (name: string) => [...held.values()].filter((h) => h.profile === name).length;
          const report = byProfile.capacityOf(state);
          for (const name of ['a', 'b', 'c']) expect(report.profiles[name]?.held).toBe(count(name));
          const used = [...held.values()].reduce((sum, h) => sum + h.units, 0);
          const full = used >= 10 || count('a') >= 2;
          expect(report.level).toBe(full ? 'full' : held.size > 0 ? 'partial' : 'none');
          expect(result.presence.presenceId).toBe(full ? 'busy-dnd' : held.size > 0 ? 'busy' : 'available');
        });
      }),
      { numRuns: 300 },
    );
  });

  it('with only non-blocking profiles, full exactly when units reach capacity or every profile is at its limit', () => {
    const open = createPresenceMachine({ defaultProfile: { capacity: 10, capacityProfiles: { b: { maxItems: 3 }, c: { maxItems: 1 } } } });
    fc.assert(
      fc.property(steps, (ops) => {
        let state = run(open, 'x', [signIn(0)]).state;
        ops.forEach((op, i) => {
          const profile = op.profile === 'a' ? 'b' : op.profile;
          const event: PresenceEvent = op.release ? { type: 'workReleased', workItemId: `w${op.n}`, at: i + 1 } : item(`w${op.n}`, profile, i + 1, op.units);
          state = open.transition(state, event).state;
          const count = (name: string) => state.work.filter((w) => w.profile === name).length;
          const used = state.work.reduce((sum, w) => sum + w.units, 0);
          const full = used >= 10 || (count('b') >= 3 && count('c') >= 1);
          expect(open.capacityOf(state).level).toBe(full ? 'full' : state.work.length > 0 ? 'partial' : 'none');
          expect(open.canTake(state, { profile })).toBe(!full && used <= 10 && count(profile) + 1 <= (profile === 'b' ? 3 : 1));
        });
      }),
      { numRuns: 300 },
    );
  });
});
