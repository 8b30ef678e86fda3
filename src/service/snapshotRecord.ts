import { parseJsonText } from '../schema/parseJsonText';
import { fieldRules, type PresenceIssue } from '../core/index';
import { describeValue, isPlainObject } from '../core/internal';
// The schema entry's zod-free modules only: this entry bundles no zod (the error class is the schema entry's own).
import { PresenceSnapshotError } from '../schema/PresenceSnapshotError';
import { arrayOf, field, objectOf, optional } from '../schema/ShapeCheck';
import { restore, snapshot, type PresenceSnapshot } from '../schema/snapshot';
import type { PresenceRecord, SeenEvent } from './ports';
import type { RoutingMarks } from './RoutingMarks';

/**
 * A stored agent record: the state's snapshot (`{ schemaVersion, state }`) with the remembered event ids beside it.
 *
 * @category Store
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { snapshotRecord, type PresenceRecordSnapshot } from 'agent-presence/service';
 * const row: PresenceRecordSnapshot = snapshotRecord({ state: createPresenceMachine({}).initialState('a1'), seen: [] });
 * ```
 */
export interface PresenceRecordSnapshot extends PresenceSnapshot {
  readonly seen: readonly SeenEvent[];
  readonly routing?: RoutingMarks;
}

const id = field<string>(fieldRules.id);
const time = field<number>(fieldRules.time);

type Outcome = SeenEvent['result'];
// A presence's queued `next` is not kept: a duplicate's presence (and a change delivered again) comes back without it.
const presence = objectOf<Omit<Outcome['presence'], 'next'>>(
  {
    presenceId: id,
    base: field(fieldRules.base),
    name: field(fieldRules.name),
    text: field(fieldRules.name),
    source: id,
    since: time,
  },
  false,
);
/** A stored version: a whole number ≥ 0 (0 in the record its save wrote). */
const version = field<number>((value: unknown) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : `must be a whole number ≥ 0 (got ${describeValue(value)})`,
);
const checkSeenEvent = objectOf<SeenEvent>(
  {
    eventId: id,
    seenAt: time,
    version: optional(version),
    generation: optional(id),
    from: optional(presence),
    result: objectOf<Outcome>(
      {
        presence,
        changed: field(fieldRules.flag),
        rejection: optional(objectOf<NonNullable<Outcome['rejection']>>({ code: id, message: field(fieldRules.description) }, false)),
        late: optional(field(fieldRules.units)),
        nextDeadline: optional(time),
      },
      false,
    ),
  },
  false,
);
const checkSeen = arrayOf(checkSeenEvent, 'an array of seen events');
const checkRouting = objectOf<RoutingMarks>({ workEndedAt: optional(time), routedAt: optional(time) }, true);

/**
 * One remembered event id checked as `restoreRecord` checks each (for `repairAgent`, which keeps those that
 * check): the event, or its first problem (its path from the entry).
 *
 * @internal
 */
export function readSeenEvent(entry: unknown): { readonly event: SeenEvent } | { readonly issue: PresenceIssue } {
  const issues: PresenceIssue[] = [];
  const event = checkSeenEvent(entry, [], issues);
  return issues[0] === undefined ? { event } : { issue: issues[0] };
}

/**
 * Turns a record into JSON for storage: `snapshot(record.state)` plus the record's remembered event ids (and its
 * routing marks, when it has any).
 *
 * @param record - the record `PresenceStore.save` was given
 * @returns `{ schemaVersion: 1, state, seen, routing? }`, plain JSON
 * @category Store
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { snapshotRecord } from 'agent-presence/service';
 * const json = JSON.stringify(snapshotRecord({ state: createPresenceMachine({}).initialState('a1'), seen: [] }));
 * console.log(json.startsWith('{"schemaVersion":1,')); // true
 * ```
 */
export function snapshotRecord(record: PresenceRecord): PresenceRecordSnapshot {
  return { ...snapshot(record.state), seen: record.seen, ...(record.routing !== undefined ? { routing: record.routing } : {}) };
}

/**
 * Reads a stored record back, checking all of it (the state as `restore` does, and the remembered event ids);
 * takes the parsed JSON or the JSON text. Use it in a store adapter's `load` and `list`.
 *
 * @param json - what `snapshotRecord` made, parsed or as JSON text
 * @returns the record
 * @throws `PresenceSnapshotError` naming each problem by path
 * @category Store
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { restoreRecord, snapshotRecord } from 'agent-presence/service';
 * const text = JSON.stringify(snapshotRecord({ state: createPresenceMachine({}).initialState('a1'), seen: [] }));
 * console.log(restoreRecord(text).state.agentId); // a1
 * try {
 *   restoreRecord({ ...JSON.parse(text), seen: [{ eventId: '', seenAt: 0 }] });
 * } catch (error) {
 *   console.log((error as Error).message.split('\n')[1]); // - seen[0].eventId: must be a non-empty string of ≤ 256 characters (got "")
 * }
 * ```
 */
export function restoreRecord(json: unknown): PresenceRecord {
  const input = parseJsonText(json, (issues) => new PresenceSnapshotError(issues));
  if (!isPlainObject(input)) throw new PresenceSnapshotError([{ path: [], message: `must be an object (got ${describeValue(input)})` }]);
  const { seen, routing, ...stateSnapshot } = input;
  const issues: PresenceIssue[] = [];
  let state;
  try {
    state = restore(stateSnapshot);
  } catch (error) {
    if (!(error instanceof PresenceSnapshotError)) throw error;
    issues.push(...error.issues);
  }
  const checkedSeen = checkSeen(seen ?? [], ['seen'], issues);
  const checkedRouting = routing === undefined ? undefined : checkRouting(routing, ['routing'], issues);
  // Marks are applied times of the agent's own events (never past its `lastAt`): a later one would rank the agent
  // last for every longestIdle and leastRecentlyOffered query from then on, since marks never move back.
  if (state !== undefined && checkedRouting !== undefined) {
    for (const mark of ['workEndedAt', 'routedAt'] as const) {
      const at = checkedRouting[mark];
      if (at !== undefined && at > state.lastAt) {
        issues.push({ path: ['routing', mark], message: `must be no later than the state's lastAt, ${state.lastAt} (got ${at})` });
      }
    }
  }
  if (issues.length > 0 || state === undefined) throw new PresenceSnapshotError(issues);
  return { state, seen: checkedSeen, ...(checkedRouting !== undefined ? { routing: checkedRouting } : {}) };
}
