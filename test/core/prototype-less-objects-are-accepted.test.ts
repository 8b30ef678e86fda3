import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, validateConfig, validateEvent } from 'agent-presence';
import type { PresenceConfig, PresenceEvent } from 'agent-presence';

/**
 * Config and events must be plain data, and a plain object may come without a prototype (`Object.create(null)`,
 * as some parsers and `Object.fromEntries` polyfills make them) or from another realm (a `vm` context, an
 * iframe): the machine accepts those like object literals, at the root and inside.
 */

/** A prototype-less object with the given fields. */
const bare = <T extends object>(fields: T): T => Object.assign(Object.create(null) as T, fields);

describe('an object without a prototype', () => {
  it('is accepted as a config and at every level inside one', () => {
    const config = bare({
      presences: [bare({ id: 'away-training', name: 'Away – In Training', base: 'Away' as const })],
      defaultProfile: bare({ capacity: 50, capacityProfiles: bare({ chat: bare({ maxItems: 2, blocking: true }) }) }),
      agents: bare({ a7: bare({ defaultPresenceId: 'away-training', capacity: 10 }) }),
      capacityPresences: bare({ full: 'busy-dnd' }),
    }) satisfies PresenceConfig;
    expect(validateConfig(config)).toEqual([]);
    const machine = createPresenceMachine(config);
    expect(machine.profileOf('anyone')).toMatchObject({ capacity: 50 });
    expect(machine.profileOf('anyone').capacityProfiles.get('chat')).toEqual({ maxItems: 2, blocking: true });
    expect(machine.profileOf('a7')).toMatchObject({ capacity: 10, defaultPresenceId: 'away-training' });
    const signedIn = machine.transition(machine.initialState('a7'), { type: 'signIn', at: 1 });
    expect(signedIn.presence).toMatchObject({ presenceId: 'away-training', source: 'default' });
  });

  it('is accepted as an event, of any type', () => {
    const machine = createPresenceMachine({});
    const signIn = bare({ type: 'signIn', at: 1 }) as PresenceEvent;
    expect(validateEvent(signIn)).toEqual([]);
    const signedIn = machine.transition(machine.initialState('a1'), signIn);
    expect(signedIn.rejection).toBeUndefined();
    expect(signedIn.presence).toMatchObject({ presenceId: 'available', source: 'capacity', since: 1 });
    const assigned = machine.transition(signedIn.state, bare({ type: 'workAssigned', workItemId: 'c1', units: 100, at: 2 }));
    expect(assigned.rejection).toBeUndefined();
    expect(assigned.presence).toMatchObject({ presenceId: 'busy-dnd', since: 2 });
  });
});

describe('an object made in another realm', () => {
  it('is accepted as a config and as an event', () => {
    const config = runInNewContext('({ defaultProfile: { capacity: 40 } })') as PresenceConfig;
    expect(Object.getPrototypeOf(config)).not.toBe(Object.prototype);
    expect(validateConfig(config)).toEqual([]);
    const machine = createPresenceMachine(config);
    expect(machine.profileOf('a1').capacity).toBe(40);
    const event = runInNewContext('({ type: "signIn", at: 1 })') as PresenceEvent;
    expect(validateEvent(event)).toEqual([]);
    expect(machine.transition(machine.initialState('a1'), event).presence).toMatchObject({ presenceId: 'available', since: 1 });
  });
});
