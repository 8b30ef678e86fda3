import fc from 'fast-check';
import type { PresenceEvent } from '../core/index';
import { TRICKY_IDS } from './TRICKY_IDS';

/** Every field of any event type. */
type EventFieldName = PresenceEvent extends infer E ? (E extends unknown ? keyof E : never) : never;

/**
 * Event fields a corruption may hit; a field the event type does not have becomes an extra field. Keyed by name,
 * so TypeScript asks for a field that a new event type brings.
 */
const FIELDS = Object.keys({
  type: true,
  at: true,
  eventId: true,
  presenceId: true,
  workItemId: true,
  units: true,
  profile: true,
  sessionId: true,
  when: true,
  wrapUpMs: true,
} satisfies Record<EventFieldName, true>);

/**
 * Well-formed events to start from, with their optional fields: at least one of every type, which TypeScript asks
 * for once a type is in `PresenceEvent`.
 */
const SEEDS_BY_TYPE: { readonly [T in PresenceEvent['type']]: readonly [Extract<PresenceEvent, { type: T }>, ...Extract<PresenceEvent, { type: T }>[]] } = {
  signIn: [
    { type: 'signIn', at: 1_000 },
    { type: 'signIn', sessionId: 'phone', at: 1_000 },
  ],
  signOut: [
    { type: 'signOut', at: 2_000, eventId: 'evt-1' },
    { type: 'signOut', sessionId: 'phone', at: 2_000 },
  ],
  heartbeat: [{ type: 'heartbeat', sessionId: 'default', at: 2_500 }],
  disconnected: [{ type: 'disconnected', at: 2_600 }],
  activity: [{ type: 'activity', at: 2_700 }],
  tick: [{ type: 'tick', at: 2_800 }],
  setPresence: [
    { type: 'setPresence', presenceId: 'away', at: 3_000 },
    { type: 'setPresence', presenceId: 'busy', when: 'afterWork', at: 3_000 },
  ],
  resetPresence: [{ type: 'resetPresence', at: 3_500 }],
  workAssigned: [
    { type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 4_000 },
    { type: 'workAssigned', workItemId: 'case-1', profile: 'case', at: 4_000 },
  ],
  workReleased: [
    { type: 'workReleased', workItemId: 'chat-1', at: 5_000 },
    { type: 'workReleased', workItemId: 'chat-1', wrapUpMs: 30_000, at: 5_000 },
  ],
  wrapUpEnded: [{ type: 'wrapUpEnded', workItemId: 'chat-1', at: 6_000 }],
  workMissed: [{ type: 'workMissed', workItemId: 'chat-2', at: 7_000 }],
  workRejected: [{ type: 'workRejected', at: 7_000 }],
};
const SEEDS = Object.values(SEEDS_BY_TYPE)
  .flat()
  .map((seed): Readonly<Record<string, unknown>> => ({ ...seed }));

/** Types that are not event types: case and spacing slips, prototype keys, non-strings. */
const BAD_TYPES: readonly unknown[] = [
  'nap',
  'SIGNIN',
  'signin',
  ' signIn',
  '',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  5,
  null,
  ['signIn'],
  { signIn: true },
];

/** JSON bodies that try to pollute prototypes when parsed and copied carelessly. */
const POLLUTING_JSON: readonly string[] = [
  '{"type":"signIn","at":1,"__proto__":{"polluted":true}}',
  '{"type":"setPresence","presenceId":"away","at":1,"constructor":{"prototype":{"polluted":true}}}',
  '{"type":"workAssigned","workItemId":"__proto__","units":{"__proto__":{"polluted":true}},"at":1}',
  '{"__proto__":{"type":"signIn","at":1}}',
  '{"type":"__proto__","at":1,"__proto__":{"polluted":true}}',
  '{"type":"workReleased","workItemId":{"__proto__":{"polluted":true}},"at":1}',
  '[{"type":"signIn","at":1}]',
];

let built: readonly unknown[] | undefined;

/**
 * Values that are wrong for most fields: wrong types, NaN and infinities, negative numbers, blank, overlong and
 * 1 MB strings, arrays, objects, boxed values, functions and symbols. Built once, on first use.
 */
function badValues(): readonly unknown[] {
  if (built !== undefined) return built;
  const megabyte = 'x'.repeat(1 << 20);
  return (built = [
    undefined,
    null,
    true,
    false,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -1,
    -1e-9,
    Number.MIN_SAFE_INTEGER,
    -Number.MAX_VALUE,
    '',
    '   ',
    '\t\n',
    '5',
    'x'.repeat(257),
    megabyte,
    ` ${megabyte}`,
    ' '.repeat(1 << 20),
    [],
    ['chat-1'],
    {},
    { length: 1 },
    Object.create(null),
    1n,
    Symbol('hostile'),
    () => 1,
    new Date(0),
    new String('chat-1'),
    new Number(5),
    ...TRICKY_IDS,
    // Times past what a Date holds, and times valid for the machine but far ahead of any service's clock.
    1e308,
    Number.MAX_VALUE,
    8.64e15 + 1,
    8.64e15,
    1e15,
    31_536_000_001,
    // Lone surrogates: UTF-8 stores write each as U+FFFD, so two such ids would share one record.
    'x\uD800',
    '\uDC00',
    'a\uD83Db',
    '\uD83D',
  ]);
}

type Corruption =
  | { readonly kind: 'delete'; readonly field: string }
  | { readonly kind: 'set'; readonly field: string; readonly value: unknown }
  | { readonly kind: 'pollute'; readonly key: '__proto__' | 'constructor' | 'prototype' }
  | { readonly kind: 'type'; readonly value: unknown }
  | { readonly kind: 'getter'; readonly field: string; readonly value: unknown; readonly throws: boolean };

/** Applies corruptions to a fresh copy of an event; `__proto__` is defined as an own field, as `JSON.parse` makes it. */
function corrupt(seed: Readonly<Record<string, unknown>>, corruptions: readonly Corruption[]): Record<string, unknown> {
  const event: Record<string, unknown> = { ...seed };
  const define = (key: string, value: unknown) => Object.defineProperty(event, key, { value, enumerable: true, writable: true, configurable: true });
  for (const c of corruptions) {
    if (c.kind === 'delete') delete event[c.field];
    else if (c.kind === 'set') define(c.field, c.value);
    else if (c.kind === 'type') define('type', c.value);
    else if (c.kind === 'getter') {
      const { value, throws } = c;
      // fast-check prints a failing value by reading it: a description it calls instead keeps the getter unread.
      Object.defineProperty(event, fc.toStringMethod, {
        configurable: true,
        value: () => `an event of ${String(seed.type)} whose ${c.field} is a getter ${throws ? 'that throws' : `of ${fc.stringify(value)}`}`,
      });
      Object.defineProperty(event, c.field, {
        enumerable: true,
        configurable: true,
        get: () => {
          if (throws) throw new Error('hostile getter');
          return value;
        },
      });
    } else define(c.key, c.key === 'constructor' ? { prototype: { polluted: true } } : { polluted: true });
  }
  return event;
}

/**
 * Generates hostile input for code that takes events from outside (a queue, a socket, an HTTP body): mostly
 * events of every type with fields missing or of the wrong type (`sessionId`, `when`, `profile` and `wrapUpMs`
 * included), NaN, infinities, negative units and times, blank and 1 MB
 * strings, unknown or non-string `type`s, own `__proto__` / `constructor` / `prototype` keys carrying pollution
 * payloads, parsed polluting JSON, and any other value (`null`, arrays, class instances, prototype-less objects,
 * bigints, symbols, functions). Some are well-formed events with tricky ids such as `__proto__`, which must be
 * taken as data. Times overflow (`1e308`, past year 275760) or lie far ahead of any clock (`1e15`); ids hold lone
 * surrogates; some fields are getters (returning a value, or throwing), and some events are proxies whose traps throw.
 *
 * What to check: that your code never throws anything but its documented error (never what a getter threw), never pollutes a prototype
 * (`({}).polluted === undefined`), and changes no stored state for input it refuses.
 *
 * @returns an arbitrary of hostile values, typed `unknown`
 * @category Arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { PresenceEventError, safeParseEvent } from 'agent-presence/schema';
 * import { hostileInputArb } from 'agent-presence/testing';
 * fc.assert(
 *   fc.property(hostileInputArb(), (input) => {
 *     const result = safeParseEvent(input);
 *     return (result.success || result.error instanceof PresenceEventError) && ({} as { polluted?: unknown }).polluted === undefined;
 *   }),
 *   { numRuns: 200 },
 * );
 * ```
 */
export function hostileInputArb(): fc.Arbitrary<unknown> {
  const bad = badValues();
  const field = fc.constantFrom(...FIELDS);
  const corruption: fc.Arbitrary<Corruption> = fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete'), field }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('set'), field, value: fc.constantFrom(...bad) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('pollute'), key: fc.constantFrom('__proto__', 'constructor', 'prototype') }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('type'), value: fc.constantFrom(...BAD_TYPES) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('getter'), field, value: fc.constantFrom(...bad), throws: fc.boolean() }) },
  );
  const corrupted = fc
    .tuple(fc.constantFrom(...SEEDS), fc.array(corruption, { minLength: 1, maxLength: 3 }))
    .map(([seed, corruptions]) => corrupt(seed, corruptions));
  // A proxy whose traps throw: only `readEvent`'s "could not be read" may come out of it, never the trap's error.
  const trapped = corrupted.map(
    (event): unknown =>
      new Proxy(Object.defineProperty(event, fc.toStringMethod, { configurable: true, value: () => 'an event in a proxy whose getPrototypeOf throws' }), {
        getPrototypeOf: () => {
          throw new Error('hostile proxy');
        },
      }),
  );
  const trickyButValid = fc.tuple(fc.constantFrom(...SEEDS), fc.constantFrom(...TRICKY_IDS)).map(([seed, id]) =>
    corrupt(
      seed,
      ['presenceId', 'workItemId', 'eventId', ...(seed.profile === undefined ? [] : ['profile']), ...(seed.sessionId === undefined ? [] : ['sessionId'])].map(
        (f) => ({ kind: 'set', field: f, value: id }),
      ),
    ),
  );
  const anything = fc.anything({
    maxDepth: 2,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
  });
  return fc.oneof(
    { weight: 12, arbitrary: corrupted },
    { weight: 3, arbitrary: anything },
    { weight: 1, arbitrary: fc.constantFrom(...POLLUTING_JSON).map((json): unknown => JSON.parse(json)) },
    { weight: 1, arbitrary: trickyButValid },
    { weight: 1, arbitrary: trapped },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(...bad) },
  );
}
