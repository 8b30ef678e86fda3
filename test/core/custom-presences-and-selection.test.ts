import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine, DEFAULT_CAPACITY, STANDARD_PRESENCES } from '../../src/index';
import type { PresenceConfig, PresenceDefinition, PresenceInput, PresenceMachine, PresenceState } from '../../src/index';
import { assign, pick, run, signIn } from '../helpers/run';

/** The standard presences an agent may pick: all but the system presence `inactive`. */
const STANDARD_IDS = STANDARD_PRESENCES.filter((p) => p.selectable).map((p) => p.id);

const TRAINING: PresenceInput = {
  id: 'away-training',
  name: 'Away – In Training',
  text: 'In training',
  base: 'Away',
  description: 'Scheduled product training',
};
const BACK_OFFICE: PresenceInput = { id: 'back-office', name: 'Busy – Back office', base: 'Busy' };
const LUNCH: PresenceInput = { id: 'lunch', name: 'Lunch', base: 'Away', active: false };
const READY: PresenceInput = { id: 'ready', name: 'Ready', base: 'Available', active: true };
const PRESENCES = [TRAINING, BACK_OFFICE, LUNCH, READY];

const definition = (machine: PresenceMachine, id: string): PresenceDefinition | undefined => machine.presences.find((p) => p.id === id);
const signedIn = (machine: PresenceMachine, agentId: string): PresenceState => run(machine, agentId, [signIn(1)]).state;
const ids = (presences: readonly PresenceDefinition[]) => presences.map((p) => p.id);
/** The custom part of a selection, order aside. */
const customIds = (presences: readonly PresenceDefinition[]) => ids(presences.filter((p) => !p.standard)).sort();

describe('a custom presence', () => {
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine({ presences: PRESENCES });
  });

  it('keeps its id, name, base, text and description as configured', () => {
    expect(definition(machine, 'away-training')).toMatchObject({ ...TRAINING, active: true, standard: false });
  });

  it('shows its name as text when no text is given', () => {
    expect(definition(machine, 'back-office')?.text).toBe(BACK_OFFICE.name);
    const { presence } = run(machine, 'a1', [signIn(1), pick('back-office', 2)]);
    expect(presence.text).toBe(BACK_OFFICE.name);
  });

  it('has an empty description when none is given', () => {
    expect(definition(machine, 'back-office')?.description).toBe('');
  });

  it('is active unless configured otherwise', () => {
    expect(definition(machine, 'back-office')?.active).toBe(true);
    expect(definition(machine, 'ready')?.active).toBe(true);
    expect(definition(machine, 'lunch')?.active).toBe(false);
  });

  it('shows its own text and base once picked, as a manual presence', () => {
    const { presence } = run(machine, 'a1', [signIn(1), pick('away-training', 2)]);
    expect(presence).toMatchObject({ presenceId: 'away-training', name: TRAINING.name, text: 'In training', base: 'Away', source: 'manual' });
  });
});

describe('selectable presences', () => {
  it('are none while the agent is signed out', () => {
    const machine = createPresenceMachine({ presences: PRESENCES });
    expect(machine.selectablePresences(machine.initialState('a1'))).toEqual([]);
  });

  it('are the five selectable standard presences first, then every active custom one when the profile lists none', () => {
    const machine = createPresenceMachine({ presences: PRESENCES });
    const selectable = machine.selectablePresences(signedIn(machine, 'a1'));
    expect(ids(selectable.slice(0, 5))).toEqual(STANDARD_IDS);
    expect(customIds(selectable)).toEqual(['away-training', 'back-office', 'ready']);
  });

  it('are the five selectable standard presences plus only the listed custom ones when the profile lists some', () => {
    const machine = createPresenceMachine({ presences: PRESENCES, agents: { a1: { presenceIds: ['ready', 'away-training'] } } });
    const selectable = machine.selectablePresences(signedIn(machine, 'a1'));
    expect(ids(selectable.slice(0, 5))).toEqual(STANDARD_IDS);
    expect(customIds(selectable)).toEqual(['away-training', 'ready']);
  });

  it('leave out an inactive presence even when the profile lists it', () => {
    const machine = createPresenceMachine({ presences: PRESENCES, agents: { a1: { presenceIds: ['lunch', 'back-office'] } } });
    expect(customIds(machine.selectablePresences(signedIn(machine, 'a1')))).toEqual(['back-office']);
  });

  it('are only the five selectable standard presences when the profile lists an empty set', () => {
    const machine = createPresenceMachine({ presences: PRESENCES, agents: { a1: { presenceIds: [] } } });
    expect(ids(machine.selectablePresences(signedIn(machine, 'a1')))).toEqual(STANDARD_IDS);
  });

  it('are exactly the presences setPresence accepts', () => {
    const machine = createPresenceMachine({ presences: PRESENCES, agents: { a1: { presenceIds: ['lunch', 'ready'] } } });
    const state = signedIn(machine, 'a1');
    const selectable = new Set(ids(machine.selectablePresences(state)));
    for (const presence of machine.presences) {
      const result = machine.transition(state, pick(presence.id, 2));
      expect(result.rejection === undefined, presence.id).toBe(selectable.has(presence.id));
    }
  });

  it('let an agent pick an allowed custom presence, and refuse one outside the profile without changing anything', () => {
    const machine = createPresenceMachine({ presences: PRESENCES, agents: { a1: { presenceIds: ['away-training'] } } });
    const state = signedIn(machine, 'a1');
    expect(machine.transition(state, pick('away-training', 2)).presence.presenceId).toBe('away-training');
    const refused = machine.transition(state, pick('back-office', 2));
    expect(refused.rejection?.code).toBe('PRESENCE_NOT_ALLOWED');
    expect(refused.state).toBe(state);
  });

  it('never offer an inactive presence to an agent whose profile lists none', () => {
    const machine = createPresenceMachine({ presences: PRESENCES });
    const refused = machine.transition(signedIn(machine, 'a1'), pick('lunch', 2));
    expect(refused.rejection?.code).toBe('PRESENCE_INACTIVE');
  });
});

describe('agent profiles', () => {
  const config: PresenceConfig = {
    presences: PRESENCES,
    defaultProfile: { defaultPresenceId: 'away', presenceIds: ['away-training'], capacity: 50, maxWorkItems: 4 },
    agents: {
      'own-capacity': { capacity: 80 },
      'own-presences': { presenceIds: ['back-office'] },
      'own-default': { defaultPresenceId: 'away-training', maxWorkItems: 2 },
    },
  };
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine(config);
  });

  it('give an agent without a profile the default profile', () => {
    expect(machine.profileOf('not-listed')).toMatchObject({
      defaultPresenceId: 'away',
      presenceIds: ['away-training'],
      capacity: 50,
      maxWorkItems: 4,
    });
  });

  it('take each field the agent leaves out from the default profile', () => {
    expect(machine.profileOf('own-capacity')).toMatchObject({
      defaultPresenceId: 'away',
      presenceIds: ['away-training'],
      capacity: 80,
      maxWorkItems: 4,
    });
    expect(machine.profileOf('own-default')).toMatchObject({
      defaultPresenceId: 'away-training',
      presenceIds: ['away-training'],
      capacity: 50,
      maxWorkItems: 2,
    });
  });

  it("replace the default profile's presence list with the agent's own, rather than adding to it", () => {
    expect(customIds(machine.selectablePresences(signedIn(machine, 'own-presences')))).toEqual(['back-office']);
    expect(customIds(machine.selectablePresences(signedIn(machine, 'own-capacity')))).toEqual(['away-training']);
  });

  it("apply the agent's own capacity and the default profile's elsewhere", () => {
    const events = [signIn(1), pick('available', 2), assign('chat-1', 50, 3)];
    expect(run(machine, 'own-capacity', events).presence.presenceId).toBe('busy');
    expect(run(machine, 'not-listed', events).presence.presenceId).toBe('busy-dnd');
  });

  it("apply the agent's own default presence at sign-in, and the default profile's for the others", () => {
    expect(run(machine, 'own-default', [signIn(1)]).presence.presenceId).toBe('away-training');
    expect(run(machine, 'own-capacity', [signIn(1)]).presence.presenceId).toBe('away');
  });

  it('fall back to the built-in profile when nothing is configured', () => {
    const plain = createPresenceMachine({ presences: PRESENCES });
    expect(plain.profileOf('a1')).toMatchObject({ defaultPresenceId: 'available', presenceIds: null, capacity: DEFAULT_CAPACITY });
    expect(plain.profileOf('a1').maxWorkItems).toBeUndefined();
    expect(DEFAULT_CAPACITY).toBe(100);
  });

  it('list as selectable what selectablePresences offers once signed in', () => {
    for (const agentId of ['not-listed', 'own-capacity', 'own-presences']) {
      expect(ids(machine.profileOf(agentId).selectable)).toEqual(ids(machine.selectablePresences(signedIn(machine, agentId))));
    }
  });
});

describe('a state stored under an earlier config', () => {
  const before = createPresenceMachine({ presences: [TRAINING] });
  const after = createPresenceMachine({}); // the custom presence was since removed
  const stored = JSON.parse(JSON.stringify(run(before, 'a1', [signIn(1), pick('away-training', 2)]).state)) as PresenceState;

  it('still resolves a presence that is gone, through its base status and that standard presence', () => {
    expect(after.presenceOf(stored)).toEqual({
      presenceId: 'away-training',
      base: 'Away',
      name: 'Away',
      text: 'Appear away',
      source: 'manual',
      since: 2,
    });
  });

  it('falls back at its next event to the standard presence of the same base (source config), which holds like the pick did', () => {
    const next = run(after, stored, [assign('chat-1', 30, 3)]);
    expect(next.presence).toMatchObject({ presenceId: 'away', base: 'Away', source: 'config', since: 3 });
    expect(next.state.choice).toEqual({ presenceId: 'away', base: 'Away', source: 'config' });
    expect(run(after, next.state, [assign('chat-2', 30, 4)]).presence).toMatchObject({ presenceId: 'away', source: 'config', since: 3 });
    expect(run(after, stored, [pick('available', 4)]).presence).toMatchObject({ presenceId: 'available', source: 'manual' });
  });
});

describe('a choice whose presence a later config removed or deactivated', () => {
  const BUSY_CASE: PresenceInput = { id: 'busy-case', name: 'Busy – On a case', base: 'Busy' };
  const activity = (at: number) => ({ type: 'activity', at }) as const;
  /** The state of an agent who picked `presenceId` under a config with `presences`, as a store would hand it back. */
  const storedPick = (presences: PresenceInput[], presenceId: string): PresenceState => {
    const before = createPresenceMachine({ presences });
    return JSON.parse(JSON.stringify(run(before, 'a1', [signIn(1), pick(presenceId, 2)]).state)) as PresenceState;
  };

  it('of base Away, removed: shows as "Appear away" (never the system presence inactive), then falls back to away', () => {
    const stored = storedPick([TRAINING], 'away-training');
    const after = createPresenceMachine({});
    expect(after.presenceOf(stored)).toEqual({ presenceId: 'away-training', base: 'Away', name: 'Away', text: 'Appear away', source: 'manual', since: 2 });
    const next = run(after, stored, [activity(3)]);
    expect(next.presence).toEqual({ presenceId: 'away', base: 'Away', name: 'Away', text: 'Appear away', source: 'config', since: 3 });
    expect(next.state.choice).toEqual({ presenceId: 'away', base: 'Away', source: 'config' });
  });

  it('of base Away, deactivated: still shows as itself until the next event, which falls back to away, not inactive', () => {
    const stored = storedPick([TRAINING], 'away-training');
    const after = createPresenceMachine({ presences: [{ ...TRAINING, active: false }] });
    expect(after.presenceOf(stored)).toMatchObject({ presenceId: 'away-training', name: 'Away – In Training', text: 'In training', source: 'manual' });
    const next = run(after, stored, [activity(3)]);
    expect(next.presence).toMatchObject({ presenceId: 'away', base: 'Away', text: 'Appear away', source: 'config', since: 3 });
    expect(next.state.choice).toEqual({ presenceId: 'away', base: 'Away', source: 'config' });
    expect(run(after, next.state, [assign('c1', 30, 4)]).presence).toMatchObject({ presenceId: 'away', source: 'config', since: 3 });
  });

  it('of base Busy, removed: shows as Busy, falls back to busy (source config) and gives way to capacity at the next work event', () => {
    const stored = storedPick([BUSY_CASE], 'busy-case');
    const after = createPresenceMachine({});
    expect(after.presenceOf(stored)).toEqual({ presenceId: 'busy-case', base: 'Busy', name: 'Busy', text: 'Busy', source: 'manual', since: 2 });
    const next = run(after, stored, [activity(3)]);
    expect(next.presence).toEqual({ presenceId: 'busy', base: 'Busy', name: 'Busy', text: 'Busy', source: 'config', since: 3 });
    expect(next.state.choice).toEqual({ presenceId: 'busy', base: 'Busy', source: 'config' });
    expect(run(after, next.state, [assign('c1', 100, 4)]).presence).toMatchObject({ presenceId: 'busy-dnd', source: 'capacity' });
  });

  it('of base Busy, deactivated: falls back to busy at the next event', () => {
    const stored = storedPick([BUSY_CASE], 'busy-case');
    const after = createPresenceMachine({ presences: [{ ...BUSY_CASE, active: false }] });
    expect(run(after, stored, [activity(3)]).presence).toMatchObject({ presenceId: 'busy', base: 'Busy', source: 'config', since: 3 });
  });

  it('queued for after work, removed: shows through its base and falls back to the standard presence, applied when the work is done', () => {
    const before = createPresenceMachine({ presences: [TRAINING] });
    const queued = run(before, 'a1', [signIn(1), assign('c1', 30, 2), { type: 'setPresence', presenceId: 'away-training', when: 'afterWork', at: 3 }]).state;
    const after = createPresenceMachine({});
    expect(after.presenceOf(queued).next).toEqual({ presenceId: 'away-training', base: 'Away', name: 'Away', text: 'Appear away' });
    const next = run(after, queued, [activity(4)]);
    expect(next.state.next).toEqual({ presenceId: 'away', base: 'Away', source: 'config' });
    expect(next.presence.next).toEqual({ presenceId: 'away', base: 'Away', name: 'Away', text: 'Appear away' });
    expect(run(after, next.state, [{ type: 'workReleased', workItemId: 'c1', at: 5 }]).presence).toMatchObject({
      presenceId: 'away',
      source: 'config',
      since: 5,
    });
  });
});
