import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import type { PresenceEvent, PresenceInput, PresenceMachine } from '../../src/index';
import { assign, release, run, runAll, signIn } from '../helpers/run';

/** Presence ids after each event, starting signed in. */
const presencesAfter = (machine: ReturnType<typeof createPresenceMachine>, agentId: string, events: PresenceEvent[]) =>
  runAll(machine, run(machine, agentId, [signIn(0)]).state, events).map((r) => r.presence.presenceId);

describe('capacity levels with the standard capacity presences (capacity 100)', () => {
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine();
  });

  it('make an agent holding no work Available, by capacity', () => {
    expect(run(machine, 'a1', [signIn(1)]).presence).toMatchObject({ presenceId: 'available', base: 'Available', source: 'capacity' });
  });

  it('make an agent using part of the capacity Busy, by capacity', () => {
    expect(run(machine, 'a1', [signIn(1), assign('chat-1', 40, 2)]).presence).toMatchObject({
      presenceId: 'busy',
      base: 'Busy',
      text: 'Busy',
      source: 'capacity',
    });
  });

  it('make an agent using all the capacity Do not disturb, by capacity', () => {
    expect(run(machine, 'a1', [signIn(1), assign('chat-1', 60, 2), assign('case-1', 40, 3)]).presence).toMatchObject({
      presenceId: 'busy-dnd',
      base: 'BusyDND',
      text: 'Do not disturb',
      source: 'capacity',
    });
  });

  it('count one unit short of the capacity as partial', () => {
    expect(run(machine, 'a1', [signIn(1), assign('chat-1', 99, 2)]).presence.presenceId).toBe('busy');
  });

  it('add up units of chats and cases alike, and free them again on release', () => {
    expect(presencesAfter(machine, 'a1', [assign('chat-1', 30, 1), assign('case-1', 70, 2), release('chat-1', 3), release('case-1', 4)])).toEqual([
      'busy',
      'busy-dnd',
      'busy',
      'available',
    ]);
  });

  it('make the agent Busy while anything is held, 0-unit items too, and Available once it is all released', () => {
    expect(presencesAfter(machine, 'a1', [assign('case-1', 0, 1), assign('case-2', 0, 2), release('case-1', 3), release('case-2', 4)])).toEqual([
      'busy',
      'busy',
      'busy',
      'available',
    ]);
    expect(run(machine, 'a1', [signIn(0), assign('case-1', 0, 1)]).state.work).toHaveLength(1);
  });

  it('accept an assignment beyond the capacity and show Do not disturb until enough is released', () => {
    const forced = run(machine, 'a1', [signIn(1), assign('chat-1', 80, 2), assign('chat-2', 50, 3)]);
    expect(forced.rejection).toBeUndefined();
    expect(forced.state.work.map((item) => item.units)).toEqual([80, 50]);
    expect(forced.presence.presenceId).toBe('busy-dnd');
    expect(run(machine, forced.state, [release('chat-2', 4)]).presence.presenceId).toBe('busy');
    expect(run(machine, forced.state, [release('chat-1', 4)]).presence.presenceId).toBe('busy');
    expect(run(machine, forced.state, [release('chat-1', 4), release('chat-2', 5)]).presence.presenceId).toBe('available');
  });

  it('count fractional units that add up to the capacity as full, despite rounding', () => {
    const small = createPresenceMachine({ defaultProfile: { capacity: 1 } });
    const filled = run(small, 'a1', [signIn(1), assign('c1', 0.7, 2), assign('c2', 0.2, 3), assign('c3', 0.1, 4)]);
    expect(0.7 + 0.2 + 0.1).toBeLessThan(1); // the rounding the level must see through
    expect(filled.presence.presenceId).toBe('busy-dnd');
    expect(run(small, filled.state, [release('c3', 5)]).presence.presenceId).toBe('busy');
  });

  it('show Do not disturb for a single item larger than the whole capacity', () => {
    expect(run(machine, 'a1', [signIn(1), assign('case-1', 250, 2)]).presence.presenceId).toBe('busy-dnd');
  });

  it('keep the presence and its since when work moves within the same level', () => {
    const first = run(machine, 'a1', [signIn(1), assign('chat-1', 20, 5)]);
    const second = run(machine, first.state, [assign('chat-2', 30, 9)]);
    expect(second.changed).toBe(false);
    expect(second.presence).toMatchObject({ presenceId: 'busy', since: 5 });
  });
});

describe('the item limit', () => {
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine({ defaultProfile: { maxWorkItems: 3 } });
  });

  it('makes an agent full once the item count reaches it, whatever the units', () => {
    expect(presencesAfter(machine, 'a1', [assign('c1', 1, 1), assign('c2', 1, 2), assign('c3', 1, 3), release('c2', 4)])).toEqual([
      'busy',
      'busy',
      'busy-dnd',
      'busy',
    ]);
  });

  it('counts 0-unit items', () => {
    const one = createPresenceMachine({ defaultProfile: { maxWorkItems: 1 } });
    expect(presencesAfter(one, 'a1', [assign('case-1', 0, 1), release('case-1', 2)])).toEqual(['busy-dnd', 'available']);
  });

  it('accepts items beyond the limit and stays full', () => {
    const forced = run(machine, 'a1', [signIn(0), assign('c1', 1, 1), assign('c2', 1, 2), assign('c3', 1, 3), assign('c4', 1, 4)]);
    expect(forced.state.work).toHaveLength(4);
    expect(forced.presence.presenceId).toBe('busy-dnd');
  });
});

describe('a capacity of 0', () => {
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine({ defaultProfile: { capacity: 0 } });
  });

  it('is full from sign-in, with no work held', () => {
    expect(run(machine, 'a1', [signIn(1)]).presence).toMatchObject({ presenceId: 'busy-dnd', source: 'capacity' });
  });

  it('stays full with only 0-unit items held and after releasing them', () => {
    expect(presencesAfter(machine, 'a1', [assign('case-1', 0, 1), release('case-1', 2)])).toEqual(['busy-dnd', 'busy-dnd']);
  });
});

describe('per-agent capacity', () => {
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine({ defaultProfile: { capacity: 100 }, agents: { senior: { capacity: 60, maxWorkItems: 2 } } });
  });

  it("decides each agent's level against that agent's own capacity", () => {
    const events = [signIn(1), assign('chat-1', 60, 2)];
    expect(run(machine, 'senior', events).presence.presenceId).toBe('busy-dnd');
    expect(run(machine, 'junior', events).presence.presenceId).toBe('busy');
  });

  it("decides each agent's level against that agent's own item limit", () => {
    const events = [signIn(1), assign('chat-1', 5, 2), assign('chat-2', 5, 3)];
    expect(run(machine, 'senior', events).presence.presenceId).toBe('busy-dnd');
    expect(run(machine, 'junior', events).presence.presenceId).toBe('busy');
  });
});

describe('custom capacity presences', () => {
  const presences: PresenceInput[] = [
    { id: 'ready', name: 'Ready', text: 'Ready for work', base: 'Available' },
    { id: 'working', name: 'Working', text: 'On it', base: 'Busy' },
    { id: 'at-capacity', name: 'At capacity', text: 'Fully booked', base: 'BusyDND' },
  ];

  it('are used for each level, with their own text and base', () => {
    const machine = createPresenceMachine({ presences, capacityPresences: { none: 'ready', partial: 'working', full: 'at-capacity' } });
    const [none, partial, full] = runAll(machine, 'a1', [signIn(1), assign('chat-1', 50, 2), assign('chat-2', 50, 3)]).map((r) => r.presence);
    expect(none).toMatchObject({ presenceId: 'ready', text: 'Ready for work', base: 'Available', source: 'capacity' });
    expect(partial).toMatchObject({ presenceId: 'working', text: 'On it', base: 'Busy', source: 'capacity' });
    expect(full).toMatchObject({ presenceId: 'at-capacity', text: 'Fully booked', base: 'BusyDND', source: 'capacity' });
  });

  it('leave the standard presence in the slots not configured', () => {
    const machine = createPresenceMachine({ presences, capacityPresences: { full: 'at-capacity' } });
    const levels = runAll(machine, 'a1', [signIn(1), assign('chat-1', 50, 2), assign('chat-2', 50, 3)]).map((r) => r.presence.presenceId);
    expect(levels).toEqual(['available', 'busy', 'at-capacity']);
  });

  it('follow the level back down as work is released', () => {
    const machine = createPresenceMachine({ presences, capacityPresences: { none: 'ready', partial: 'working', full: 'at-capacity' } });
    const start = run(machine, 'a1', [signIn(1), assign('chat-1', 50, 2), assign('chat-2', 50, 3)]).state;
    const levels = runAll(machine, start, [release('chat-1', 4), release('chat-2', 5)]).map((r) => r.presence.presenceId);
    expect(levels).toEqual(['working', 'ready']);
  });
});
