import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine } from '../../src/index';
import type { PresenceInput, PresenceMachine } from '../../src/index';
import { assign, pick, release, run, runAll, signIn, signOut } from '../helpers/run';

const presences: PresenceInput[] = [
  { id: 'ready', name: 'Ready', base: 'Available' },
  { id: 'back-office', name: 'Back office', base: 'Busy' },
  { id: 'focus', name: 'Focus time', text: 'Focusing', base: 'BusyDND' },
  { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' },
  { id: 'appear-offline', name: 'Appear offline', base: 'Offline' },
];
let machine: PresenceMachine;
beforeEach(() => {
  machine = createPresenceMachine({ presences });
});

describe('a manual presence based on Available or Busy', () => {
  it('shows the picked presence as manual, even against what capacity says', () => {
    const { presence } = run(machine, 'a1', [signIn(1), assign('chat-1', 100, 2), pick('available', 3)]);
    expect(presence).toMatchObject({ presenceId: 'available', base: 'Available', source: 'manual' });
  });

  it.each(['available', 'busy', 'ready', 'back-office'])('%s gives way to capacity at the next assignment', (id) => {
    const picked = run(machine, 'a1', [signIn(1), assign('chat-1', 40, 2), pick(id, 3)]);
    expect(picked.presence).toMatchObject({ presenceId: id, source: 'manual' });
    const after = run(machine, picked.state, [assign('chat-2', 60, 4)]);
    expect(after.presence).toMatchObject({ presenceId: 'busy-dnd', source: 'capacity' });
    expect(after.state.choice).toBeNull();
  });

  it.each(['available', 'busy', 'ready', 'back-office'])('%s gives way to capacity at the next release', (id) => {
    const picked = run(machine, 'a1', [signIn(1), assign('chat-1', 100, 2), pick(id, 3)]);
    expect(run(machine, picked.state, [release('chat-1', 4)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
  });

  it('gives way even when the work event leaves the capacity level as it was', () => {
    const picked = run(machine, 'a1', [signIn(1), pick('busy', 2)]);
    expect(run(machine, picked.state, [assign('case-1', 40, 3)]).presence).toMatchObject({ presenceId: 'busy', source: 'capacity', since: 2 });
  });

  it('changes source to manual without changing the presence when it picks what capacity shows', () => {
    const picked = run(machine, 'a1', [signIn(1), pick('available', 2)]);
    expect(picked.changed).toBe(false);
    expect(picked.presence).toMatchObject({ presenceId: 'available', source: 'manual', since: 1 });
  });

  it('holds through refused work events', () => {
    const picked = run(machine, 'a1', [signIn(1), assign('chat-1', 40, 2), pick('available', 3)]);
    const duplicate = machine.transition(picked.state, assign('chat-1', 10, 4));
    const unknown = machine.transition(picked.state, release('chat-9', 4));
    for (const refused of [duplicate, unknown]) {
      expect(refused.rejection).toBeDefined();
      expect(refused.state).toBe(picked.state);
      expect(refused.presence).toMatchObject({ presenceId: 'available', source: 'manual' });
    }
  });

  it('is cleared by signing out', () => {
    const back = run(machine, 'a1', [signIn(1), assign('chat-1', 40, 2), pick('available', 3), signOut(4), signIn(5)]);
    expect(back.presence).toMatchObject({ presenceId: 'busy', source: 'capacity' });
  });
});

describe('a manual presence based on Away, BusyDND or Offline', () => {
  const sticky = [
    { id: 'away', base: 'Away' },
    { id: 'busy-dnd', base: 'BusyDND' },
    { id: 'offline', base: 'Offline' },
    { id: 'away-training', base: 'Away' },
    { id: 'focus', base: 'BusyDND' },
    { id: 'appear-offline', base: 'Offline' },
  ] as const;

  it.each(sticky)('$id ($base) is not changed by any number of work events', ({ id, base }) => {
    const picked = run(machine, 'a1', [signIn(1), pick(id, 2)]);
    const work = runAll(machine, picked.state, [
      assign('chat-1', 40, 3),
      assign('chat-2', 60, 4),
      assign('chat-3', 30, 5),
      release('chat-2', 6),
      release('chat-1', 7),
      release('chat-3', 8),
      assign('case-1', 0, 9),
    ]);
    for (const result of work) {
      expect(result.changed).toBe(false);
      expect(result.presence).toMatchObject({ presenceId: id, base, source: 'manual', since: 2 });
    }
  });

  it('keeps its own text while it holds', () => {
    const { presence } = run(machine, 'a1', [signIn(1), pick('focus', 2), assign('chat-1', 10, 3)]);
    expect(presence).toMatchObject({ presenceId: 'focus', text: 'Focusing' });
  });

  it('keeps an agent who picked Offline signed in', () => {
    const { state } = run(machine, 'a1', [signIn(1), pick('offline', 2), assign('chat-1', 10, 3)]);
    expect(state.signedIn).toBe(true);
    expect(machine.selectablePresences(state).length).toBeGreaterThan(0);
  });

  it('is replaced by another sticky pick', () => {
    const { presence } = run(machine, 'a1', [signIn(1), pick('away', 2), pick('focus', 3), assign('chat-1', 10, 4)]);
    expect(presence).toMatchObject({ presenceId: 'focus', source: 'manual', since: 3 });
  });

  it('is replaced by an Available or Busy pick, after which the next work event lets capacity decide', () => {
    const replaced = run(machine, 'a1', [signIn(1), assign('chat-1', 40, 2), pick('away', 3), pick('available', 4)]);
    expect(replaced.presence).toMatchObject({ presenceId: 'available', source: 'manual' });
    expect(run(machine, replaced.state, [release('chat-1', 5), assign('chat-2', 10, 6)]).presence).toMatchObject({
      presenceId: 'busy',
      source: 'capacity',
    });
  });

  it('is cleared by signing out, so the next sign-in does not bring it back', () => {
    const out = run(machine, 'a1', [signIn(1), pick('away-training', 2), signOut(3)]);
    expect(out.state.choice).toBeNull();
    expect(out.presence).toMatchObject({ presenceId: 'offline', source: 'signOut' });
    expect(run(machine, out.state, [signIn(4)]).presence).toMatchObject({ presenceId: 'available', source: 'capacity' });
  });
});
