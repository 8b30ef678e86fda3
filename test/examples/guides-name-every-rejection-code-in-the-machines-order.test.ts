/**
 * What the guides tell a new user about refusals matches the machine: getting started and the README list every
 * rejection code, and concepts lists the checks of `setPresence` in the order the machine makes them (each pair
 * next to each other in that list is checked on an event that fails both: the earlier one is the code returned).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceState, type RejectionCode } from '../../src/index';
import { root } from '../helpers/dist';

/** Every code, once: adding a code to `RejectionCode` fails the type check until it is added here (and to the guides). */
const CODES = Object.keys({
  INVALID_EVENT: true,
  NOT_SIGNED_IN: true,
  UNKNOWN_PRESENCE: true,
  PRESENCE_INACTIVE: true,
  PRESENCE_NOT_ALLOWED: true,
  DUPLICATE_WORK_ITEM: true,
  UNKNOWN_WORK_ITEM: true,
  UNKNOWN_CAPACITY_PROFILE: true,
  PRESENCE_NOT_SELECTABLE: true,
  UNKNOWN_SESSION: true,
  TOO_MANY_SESSIONS: true,
  TOO_MANY_WORK_ITEMS: true,
  EVENT_IN_FUTURE: true,
  WORK_ITEM_TAKEN: true,
} satisfies Record<RejectionCode, true>) as RejectionCode[];

const read = (file: string): string => readFileSync(join(root, file), 'utf8');

describe('the guides on refusals', () => {
  it.each(['docs/getting-started.md', 'README.md'])('%s names every rejection code', (file) => {
    const text = read(file);
    expect(CODES.filter((code) => !text.includes(`\`${code}\``))).toEqual([]);
  });

  it("concepts.md lists setPresence's checks in the machine's order", () => {
    const text = read('docs/concepts.md');
    const list = /checking in this order:\n\n((?:\d+\. .*\n(?: {3}.*\n)*)+)/.exec(text)?.[1];
    expect(list, 'the numbered list after "checking in this order:"').toBeDefined();
    const documented = [...(list as string).matchAll(/^\d+\. `([A-Z_]+)`/gm)].map((m) => m[1]);

    const machine = createPresenceMachine({
      presences: [
        { id: 'retired-system', name: 'Retired', base: 'Away', active: false, selectable: false },
        { id: 'lunch', name: 'Lunch', base: 'Away' },
      ],
      defaultProfile: { presenceIds: [] },
    });
    const signedOut = machine.initialState('agent-7');
    const signedIn = machine.transition(signedOut, { type: 'signIn', at: 1 }).state;
    const code = (state: PresenceState, presenceId: string) => machine.transition(state, { type: 'setPresence', presenceId, at: 2 }).rejection?.code;
    // Each event fails the two checks named, and the machine returns the first of them.
    const pairs: [RejectionCode, RejectionCode, RejectionCode | undefined][] = [
      ['INVALID_EVENT', 'NOT_SIGNED_IN', code(signedOut, '')],
      ['NOT_SIGNED_IN', 'UNKNOWN_PRESENCE', code(signedOut, 'nope')],
      ['UNKNOWN_PRESENCE', 'PRESENCE_NOT_ALLOWED', code(signedIn, 'nope')], // not in the (empty) presenceIds either
      ['PRESENCE_INACTIVE', 'PRESENCE_NOT_SELECTABLE', code(signedIn, 'retired-system')],
      ['PRESENCE_NOT_SELECTABLE', 'PRESENCE_NOT_ALLOWED', code(signedIn, 'inactive')],
    ];
    for (const [first, second, returned] of pairs) {
      expect(returned, `${first} before ${second}`).toBe(first);
      expect(documented.indexOf(first), `${first} listed before ${second}`).toBeLessThan(documented.indexOf(second));
    }
    expect(code(signedIn, 'lunch')).toBe('PRESENCE_NOT_ALLOWED');
    expect(documented).toEqual(['INVALID_EVENT', 'NOT_SIGNED_IN', 'UNKNOWN_PRESENCE', 'PRESENCE_INACTIVE', 'PRESENCE_NOT_SELECTABLE', 'PRESENCE_NOT_ALLOWED']);
  });
});
