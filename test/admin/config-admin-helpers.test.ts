import { describe, expect, it } from 'vitest';
import { createPresenceMachine, PresenceConfigError, type PresenceConfig } from '../../src/index';
import {
  activatePresence,
  addPresence,
  assignPresences,
  deactivatePresence,
  removeAgentProfile,
  removePresence,
  setCapacity,
  setCapacityPresence,
  setDefaultPresence,
  updatePresence,
} from '../../src/admin/index';

const base: PresenceConfig = {
  presences: [
    { id: 'away-lunch', name: 'Away – Lunch', base: 'Away' },
    { id: 'busy-chats', name: 'Busy – Chats', base: 'Busy' },
  ],
  defaultProfile: { capacity: 100, presenceIds: ['away-lunch'] },
  agents: { 'agent-7': { capacity: 60, presenceIds: ['away-lunch', 'busy-chats'] } },
};
const copy = JSON.parse(JSON.stringify(base)) as PresenceConfig;

/** The issues of the PresenceConfigError `edit` throws. */
function problems(edit: () => unknown) {
  try {
    edit();
  } catch (error) {
    expect(error).toBeInstanceOf(PresenceConfigError);
    return (error as PresenceConfigError).issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }
  throw new Error('the edit was accepted');
}

describe('config admin helpers', () => {
  it('return a new config the machine accepts, leave the given one unchanged and share what they did not touch', () => {
    const next = addPresence(base, { id: 'away-training', name: 'Away – Training', base: 'Away' });
    expect(next).not.toBe(base);
    expect(base).toEqual(copy);
    expect(next.agents).toBe(base.agents);
    expect(next.presences?.map((p) => p.id)).toEqual(['away-lunch', 'busy-chats', 'away-training']);
    expect(() => createPresenceMachine(next)).not.toThrow();
  });

  it('addPresence refuses a taken id or a malformed presence, with the path of the problem', () => {
    expect(problems(() => addPresence(base, { id: 'away', name: 'Away 2', base: 'Away' }))).toEqual(['presences.2.id: duplicates a presence id (got "away")']);
    expect(problems(() => addPresence(base, { id: 'x', name: '', base: 'Lunch' as never }))).toEqual([
      'presences.2.name: must be a non-empty string of ≤ 1000 characters (got "")',
      'presences.2.base: must be one of Available, Busy, BusyDND, Away, Offline (got "Lunch")',
    ]);
  });

  it('updatePresence changes the given fields only, and a base change that breaks a capacity slot is refused', () => {
    const next = updatePresence(base, 'away-lunch', { text: 'At lunch' });
    expect(next.presences?.[0]).toEqual({ id: 'away-lunch', name: 'Away – Lunch', base: 'Away', text: 'At lunch' });
    const slotted = setCapacityPresence(base, 'partial', 'busy-chats');
    expect(problems(() => updatePresence(slotted, 'busy-chats', { base: 'Away' }))).toEqual([
      'capacityPresences.partial: must name a presence of base Busy (got "busy-chats" of base Away)',
    ]);
    expect(updatePresence(base, 'busy-chats', { id: 'renamed', name: 'Chats' } as never).presences?.[1]).toEqual({
      id: 'busy-chats', // the id is not among the fields it changes
      name: 'Chats',
      base: 'Busy',
    });
  });

  it('deactivatePresence and activatePresence flip `active`; a default naming it is refused', () => {
    const off = deactivatePresence(base, 'busy-chats');
    expect(off.presences?.[1]?.active).toBe(false);
    expect(activatePresence(off, 'busy-chats').presences?.[1]?.active).toBe(true);
    const asDefault = setDefaultPresence(base, 'away-lunch', 'agent-7');
    expect(problems(() => deactivatePresence(asDefault, 'away-lunch'))).toEqual([
      'agents.agent-7.defaultPresenceId: names an inactive presence (got "away-lunch")',
    ]);
  });

  it('refuse standard and unknown presence ids', () => {
    expect(problems(() => deactivatePresence(base, 'away'))).toEqual(['presences: "away" is a standard presence: standard presences cannot be changed']);
    expect(problems(() => removePresence(base, 'nope'))).toEqual(['presences: has no presence "nope"']);
  });

  it('removePresence drops the presence and every profile list entry naming it', () => {
    const next = removePresence(base, 'away-lunch');
    expect(next.presences?.map((p) => p.id)).toEqual(['busy-chats']);
    expect(next.defaultProfile?.presenceIds).toEqual([]);
    expect(next.agents?.['agent-7']?.presenceIds).toEqual(['busy-chats']);
  });

  it('setDefaultPresence, assignPresences and setCapacity edit an agent profile (created when missing) or the default one', () => {
    let next = setDefaultPresence(base, 'away', 'agent-9');
    next = assignPresences(next, ['busy-chats'], 'agent-9');
    next = setCapacity(next, { capacity: 40, maxWorkItems: 2 }, 'agent-9');
    expect(next.agents?.['agent-9']).toEqual({ defaultPresenceId: 'away', presenceIds: ['busy-chats'], capacity: 40, maxWorkItems: 2 });
    expect(setCapacity(next, { maxWorkItems: null }, 'agent-9').agents?.['agent-9']).toEqual({
      defaultPresenceId: 'away',
      presenceIds: ['busy-chats'],
      capacity: 40,
    });
    expect(assignPresences(base, null).defaultProfile).toEqual({ capacity: 100 });
    expect(setCapacity(base, { capacity: 80 }).defaultProfile?.capacity).toBe(80);
    expect(createPresenceMachine(next).profileOf('agent-9').capacity).toBe(40);
  });

  it('refuse values the machine would refuse', () => {
    expect(problems(() => setDefaultPresence(base, 'nope'))).toEqual(['defaultProfile.defaultPresenceId: names no known presence (got "nope")']);
    expect(problems(() => assignPresences(base, ['away-lunch', 'ghost'], 'agent-7'))).toEqual([
      'agents.agent-7.presenceIds.1: names no known presence (got "ghost")',
    ]);
    expect(problems(() => setCapacity(base, { capacity: -5, maxWorkItems: 0.5 }, 'agent-7'))).toEqual([
      'agents.agent-7.capacity: must be a finite number ≥ 0 (got -5)',
      'agents.agent-7.maxWorkItems: must be a whole number ≥ 1 (got 0.5)',
    ]);
    expect(problems(() => setCapacityPresence(base, 'full', 'away'))).toEqual([
      'capacityPresences.full: must name a presence of base BusyDND (got "away" of base Away)',
    ]);
  });

  it('removeAgentProfile drops the agent, who falls back to the default profile', () => {
    const next = removeAgentProfile(base, 'agent-7');
    expect(next.agents).toEqual({});
    expect(createPresenceMachine(next).profileOf('agent-7').capacity).toBe(100);
    expect(removeAgentProfile(base, 'nobody')).toBe(base);
  });

  it('treat an agent id like __proto__ as data', () => {
    const next = setCapacity(base, { capacity: 10 }, '__proto__');
    expect(Object.hasOwn(next.agents ?? {}, '__proto__')).toBe(true);
    expect(createPresenceMachine(next).profileOf('__proto__').capacity).toBe(10);
    expect(({} as Record<string, unknown>).capacity).toBeUndefined();
  });
});
