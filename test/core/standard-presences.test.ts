import { describe, expect, it } from 'vitest';
import { BASE_STATUSES, createPresenceMachine, PresenceConfigError, STANDARD_PRESENCES } from '../../src/index';
import type { PresenceInput } from '../../src/index';
import { pick, run, signIn } from '../helpers/run';

/** Rule 1, as the spec words it: id, name, text and base of each standard presence. */
const SPEC = [
  { id: 'available', name: 'Available', text: 'Available', base: 'Available' },
  { id: 'busy', name: 'Busy', text: 'Busy', base: 'Busy' },
  { id: 'busy-dnd', name: 'Busy DND', text: 'Do not disturb', base: 'BusyDND' },
  { id: 'away', name: 'Away', text: 'Appear away', base: 'Away' },
  { id: 'offline', name: 'Offline', text: 'Offline', base: 'Offline' },
  { id: 'inactive', name: 'Inactive', text: 'Inactive', base: 'Away' },
] as const;
const STANDARD_IDS = SPEC.map((p) => p.id);

/** Custom presences of every base, one of them inactive. */
const CUSTOM: PresenceInput[] = [
  { id: 'ready', name: 'Ready', base: 'Available' },
  { id: 'back-office', name: 'Back office', base: 'Busy' },
  { id: 'focus', name: 'Focus time', base: 'BusyDND' },
  { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away', active: false },
  { id: 'appear-offline', name: 'Appear offline', base: 'Offline' },
];

describe('base statuses', () => {
  it('are exactly Available, Busy, BusyDND, Away and Offline', () => {
    expect(BASE_STATUSES).toEqual(['Available', 'Busy', 'BusyDND', 'Away', 'Offline']);
  });
});

describe('the standard presences', () => {
  it('are six: one selectable presence for each base status, and the system presence inactive', () => {
    expect(STANDARD_PRESENCES).toHaveLength(6);
    const selectable = STANDARD_PRESENCES.filter((p) => p.selectable);
    expect(selectable.map((p) => p.base)).toEqual([...BASE_STATUSES]);
    expect(STANDARD_PRESENCES.filter((p) => !p.selectable).map((p) => p.id)).toEqual(['inactive']);
  });

  it.each(SPEC)('include $id named "$name" with text "$text" on base $base', (expected) => {
    const presence = STANDARD_PRESENCES.find((p) => p.id === expected.id);
    expect(presence).toMatchObject({ ...expected, active: true, standard: true, selectable: expected.id !== 'inactive' });
  });

  it('carry an empty description, as a custom presence without one does: their names and bases say what they are', () => {
    expect(STANDARD_PRESENCES.map((p) => p.description)).toEqual(STANDARD_PRESENCES.map(() => ''));
  });

  it('are what a machine without config knows, and nothing else', () => {
    expect(createPresenceMachine().presences).toEqual(STANDARD_PRESENCES);
    expect(createPresenceMachine({}).presences).toEqual(STANDARD_PRESENCES);
  });

  it('stay present, unchanged and first when custom presences of every base are configured', () => {
    const machine = createPresenceMachine({ presences: CUSTOM });
    expect(machine.presences.slice(0, 6)).toEqual(STANDARD_PRESENCES);
  });

  it('are followed by the custom presences in config order, inactive ones included', () => {
    const machine = createPresenceMachine({ presences: CUSTOM });
    expect(machine.presences.map((p) => p.id)).toEqual([...STANDARD_IDS, ...CUSTOM.map((p) => p.id)]);
    expect(machine.presences.slice(6).every((p) => !p.standard)).toBe(true);
  });

  it('cannot be replaced by a custom presence reusing a standard id', () => {
    expect(() => createPresenceMachine({ presences: [{ id: 'away', name: 'Gone fishing', base: 'Away' }] })).toThrow(PresenceConfigError);
  });

  it.each(SPEC.filter((p) => p.id !== 'inactive'))('let an agent whose profile allows no custom presence pick $id and show "$text"', (expected) => {
    const machine = createPresenceMachine({ presences: CUSTOM, agents: { a1: { presenceIds: [] } } });
    const { presence } = run(machine, 'a1', [signIn(1), pick(expected.id, 2)]);
    expect(presence).toMatchObject({ presenceId: expected.id, name: expected.name, text: expected.text, base: expected.base });
  });

  it('give a signed-out agent the offline presence', () => {
    const machine = createPresenceMachine({ presences: CUSTOM });
    expect(machine.presenceOf(machine.initialState('a1'))).toMatchObject({ presenceId: 'offline', base: 'Offline', text: 'Offline' });
  });
});
