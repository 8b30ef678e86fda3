import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_STATUSES, type ResolvedPresence } from '../../src/index';
import { CompactChangeLog } from '../../src/service/CompactChangeLog';
import { createMemoryHistoryStore, type PresenceChange } from '../../src/service/index';
import { PresenceShapes } from '../../src/service/PresenceShapes';
import { propertyRuns, propertyTimeout } from '../helpers/propertyRuns';
import { referenceHistory } from '../helpers/referenceHistory';

const RUNS = propertyRuns({ ci: 150, deep: 3_000, mutation: 20 });

/** Texts as a config has them, and anything a string can hold: non-ASCII, lone surrogates, the empty string. */
const text = fc.oneof(
  fc.constantFrom('available', 'busy', 'Busy – Case work', 'Away – In Training', ''),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\uD800', 'a\uDFFFb', '日本語のテキスト', 'x'.repeat(300)),
);
/** Numbers of every kind a change may carry: epoch milliseconds, fractions, -0, NaN, infinities, huge values. */
const anyNumber = fc.oneof(
  fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
  fc.integer({ min: -1_000, max: 1_000_000 }),
  fc.double(),
  fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 2 ** 60, Number.MIN_VALUE),
);
const eventId = fc.oneof(
  fc.uuid(),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.uuid().map((id) => `${id.slice(0, 35)}g`),
  fc.uuid().map((id) => id.replace(/-/g, '')),
  fc.constantFrom('tick@1767600000000', 'evt-1', '01HZY3K8Q8WJ3V2C4M5N6P7Q8R'),
  text,
);
const presence = fc.record(
  {
    presenceId: text,
    base: fc.constantFrom(...BASE_STATUSES),
    name: text,
    text,
    source: fc.constantFrom('capacity', 'manual', 'default', 'signOut', 'expired', 'config', 'missed'),
    since: anyNumber,
    next: fc.record({ presenceId: text, base: fc.constantFrom(...BASE_STATUSES), name: text, text }, { noNullPrototype: true }),
  },
  { requiredKeys: ['presenceId', 'base', 'name', 'text', 'source', 'since'], noNullPrototype: true },
) as fc.Arbitrary<ResolvedPresence>;

/** One change at `at`; its `from.since` often the previous change's time and `to.since` often `at`, as the service makes them. */
const changeAt = (agentId: string, at: number, previousAt: number) =>
  fc
    .record({
      from: presence,
      to: presence,
      fromSinceIsPrevious: fc.boolean(),
      toSinceIsAt: fc.boolean(),
      otherSource: fc.option(fc.constantFrom('manual', 'capacity', 'anything'), { nil: undefined }),
      version: fc.oneof(fc.integer({ min: 1, max: 10_000 }), anyNumber),
      eventId: fc.option(eventId, { nil: undefined }),
    })
    .map(({ from, to, fromSinceIsPrevious, toSinceIsAt, otherSource, version, eventId }): PresenceChange => {
      const fromPresence = fromSinceIsPrevious ? { ...from, since: previousAt } : from;
      const toPresence = toSinceIsAt ? { ...to, since: at } : to;
      const source = (otherSource ?? toPresence.source) as PresenceChange['source'];
      // The service's key order: eventId (when there is one) before version.
      return eventId === undefined
        ? { agentId, from: fromPresence, to: toPresence, at, source, version }
        : { agentId, from: fromPresence, to: toPresence, at, source, eventId, version };
    });

/** A log of changes in time order (times may repeat), as one agent's history holds them. */
const changes = (agentId: string) =>
  fc.array(fc.oneof(fc.integer({ min: 0, max: 120_000 }), fc.double({ min: 0, max: 5_000, noNaN: true })), { maxLength: 40 }).chain((steps) => {
    let at = 1_767_600_000_000;
    const times = steps.map((step) => (at += step));
    if (times.length > 0) times[0] = -0; // the earliest time there is, and not the same as 0
    return fc.tuple(...times.map((time, i) => changeAt(agentId, time, i === 0 ? 0 : (times[i - 1] as number))));
  });

const everything = { from: -Infinity, to: Infinity };

describe('the memory history', () => {
  it(
    'reads back every change as it was appended: strings, numbers (-0, NaN, fractions), optional fields, key order',
    () => {
      fc.assert(
        fc.property(changes('agent-7'), changes('agent-8'), (mine, theirs) => {
          const history = createMemoryHistoryStore();
          for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
            if (mine[i] !== undefined) void history.append(mine[i] as PresenceChange);
            if (theirs[i] !== undefined) void history.append(theirs[i] as PresenceChange);
          }
          const read = history.read('agent-7', everything) as PresenceChange[];
          expect(read).toStrictEqual(mine);
          expect(read.map((c) => JSON.stringify(c))).toEqual(mine.map((c) => JSON.stringify(c)));
          expect(history.read('agent-8', everything)).toStrictEqual(theirs);
        }),
        RUNS,
      );
    },
    propertyTimeout(60_000),
  );

  it(
    'reads back as it was appended with the table of presence shapes full, after dropping the oldest, as new objects',
    () => {
      fc.assert(
        fc.property(changes('agent-7'), fc.constantFrom(0, 1, 3), fc.nat({ max: 6 }), (appended, maxShapes, dropped) => {
          const log = new CompactChangeLog(new PresenceShapes(maxShapes));
          for (const change of appended) log.append(change);
          for (let i = 0; i < dropped; i++) log.dropOldest();
          const first = log.read('agent-7', -Infinity, Infinity);
          expect(first).toStrictEqual(appended.slice(dropped));
          expect(log.count).toBe(Math.max(0, appended.length - dropped));
          const again = log.read('agent-7', -Infinity, Infinity);
          if (again.length > 0) expect(again[0]?.to).not.toBe(first[0]?.to);
        }),
        RUNS,
      );
    },
    propertyTimeout(60_000),
  );

  it(
    'keeps the latest `limit` changes and answers every window as the array of the changes themselves did',
    () => {
      const steps = fc.array(fc.constantFrom(0, 1, 1_000, 20_000, 3_600_000), { minLength: 1, maxLength: 300 });
      const window = fc.tuple(fc.integer({ min: -5_000, max: 4_000_000 }), fc.integer({ min: 0, max: 4_000_000 }));
      fc.assert(
        fc.property(steps, fc.integer({ min: 1, max: 200 }), fc.array(window, { minLength: 1, maxLength: 8 }), (gaps, limit, windows) => {
          const compact = createMemoryHistoryStore({ limit });
          const reference = referenceHistory(limit);
          let at = 0;
          gaps.forEach((gap, i) => {
            const previous = at;
            at += gap;
            const from: ResolvedPresence = {
              presenceId: 'available',
              base: 'Available',
              name: 'Available',
              text: 'Available',
              source: 'capacity',
              since: previous,
            };
            const to: ResolvedPresence = {
              presenceId: i % 2 ? 'away' : 'busy',
              base: i % 2 ? 'Away' : 'Busy',
              name: 'x',
              text: 'x',
              source: 'manual',
              since: at,
            };
            const change: PresenceChange = { agentId: 'agent-7', from, to, at, source: 'manual', version: i + 1, eventId: `e${i}` };
            void compact.append(change);
            void reference.append(change);
          });
          for (const [from, length] of windows) {
            expect(compact.read('agent-7', { from, to: from + length })).toStrictEqual(reference.read('agent-7', { from, to: from + length }));
          }
          expect(compact.read('agent-7', everything)).toHaveLength(Math.min(limit, gaps.length));
        }),
        RUNS,
      );
    },
    propertyTimeout(60_000),
  );

  it('refuses a change with a field of the wrong type, naming it, and keeps nothing of it', () => {
    const history = createMemoryHistoryStore();
    const to: ResolvedPresence = { presenceId: 'busy', base: 'Busy', name: 'Busy', text: 'Busy', source: 'capacity', since: 2_000 };
    const from: ResolvedPresence = { presenceId: 'available', base: 'Available', name: 'Available', text: 'Available', source: 'capacity', since: 1_000 };
    const good: PresenceChange = { agentId: 'a1', from, to, at: 2_000, source: 'capacity', version: 2 };
    void history.append(good);
    const bad = (change: unknown) => () => history.append(change as PresenceChange);
    expect(bad({ ...good, to: { ...to, name: 5 }, version: 3 })).toThrow('createMemoryHistoryStore: change.to.name must be a string (got number)');
    expect(bad({ ...good, from: { ...from, presenceId: 'new', next: { ...to, text: null } } })).toThrow('change.from.next.text must be a string (got null)');
    expect(bad({ ...good, from: null })).toThrow('change.from must be an object (got null)');
    expect(bad({ ...good, at: '3000' })).toThrow('change.at must be a number (got string)');
    expect(bad({ ...good, eventId: 42 })).toThrow('change.eventId must be a string (got number)');
    expect(bad({ ...good, agentId: undefined })).toThrow('change.agentId must be a string (got undefined)');
    expect(bad(null)).toThrow('change.agentId must be a string');
    expect(history.read('a1', everything)).toStrictEqual([good]);
    expect(history.size).toBe(1);
  });
});
