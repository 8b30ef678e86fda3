import { beforeEach, describe, expect, it } from 'vitest';
import { createPresenceMachine, validateEvent } from '../../src/index';
import type { PresenceMachine } from '../../src/index';
import { parseEvent, safeParseEvent } from '../../src/schema/index';

describe('an optional eventId on any event', () => {
  let machine: PresenceMachine;
  beforeEach(() => {
    machine = createPresenceMachine({});
  });

  it('is accepted by the machine and changes nothing about the transition', () => {
    const start = machine.initialState('a1');
    const withId = machine.transition(start, { type: 'signIn', at: 5, eventId: 'evt-1' });
    const without = machine.transition(start, { type: 'signIn', at: 5 });
    expect(withId.rejection).toBeUndefined();
    expect(withId).toEqual(without);
  });

  it('is kept by parseEvent, and left out when the sender left it out', () => {
    expect(parseEvent({ type: 'workReleased', workItemId: 'c1', at: 3, eventId: 'evt-9' })).toEqual({
      type: 'workReleased',
      workItemId: 'c1',
      at: 3,
      eventId: 'evt-9',
    });
    expect(parseEvent({ type: 'signOut', at: 3 })).not.toHaveProperty('eventId');
  });

  it.each([[''], [42], ['x'.repeat(257)], [null]])('is refused when it is not an id (%j), naming the field', (eventId) => {
    const event = { type: 'signIn', at: 1, eventId };
    expect(validateEvent(event)).toEqual([{ path: ['eventId'], message: expect.stringContaining('must be a non-empty string') }]);
    const parsed = safeParseEvent(event);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues[0]?.path).toEqual(['eventId']);
    const refused = machine.transition(machine.initialState('a1'), event as never);
    expect(refused.rejection?.code).toBe('INVALID_EVENT');
    expect(refused.rejection?.message).toContain('eventId');
  });
});
