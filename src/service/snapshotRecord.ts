import { z } from 'zod';
import { parseJsonText } from '../schema/parseJsonText';
import { fieldRules, type PresenceIssue } from '../core/index';
import { describeValue } from '../core/fieldRules';
import { isPlainObject } from '../core/isPlainObject';
import { fieldSchema, PresenceSnapshotError, restore, snapshot, type PresenceSnapshot } from '../schema/index';
import type { PresenceRecord, SeenEvent } from './ports';

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
}

const id = fieldSchema<string>(fieldRules.id);
const time = fieldSchema<number>(fieldRules.time);
const object = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.object(shape, {
    error: (issue) => (issue.code === 'invalid_type' ? `must be an object (got ${describeValue(issue.input)})` : undefined),
  });

const seenSchema = z.array(
  object({
    eventId: id,
    seenAt: time,
    result: object({
      presence: object({
        presenceId: id,
        base: fieldSchema(fieldRules.base),
        name: fieldSchema<string>(fieldRules.name),
        text: fieldSchema<string>(fieldRules.name),
        source: id,
        since: time,
      }),
      changed: fieldSchema<boolean>(fieldRules.flag),
      rejection: object({ code: id, message: fieldSchema<string>(fieldRules.description) }).optional(),
      late: fieldSchema<number>(fieldRules.units).optional(),
      nextDeadline: time.optional(),
    }),
  }),
  { error: (issue) => `must be an array of seen events (got ${describeValue(issue.input)})` },
) as unknown as z.ZodType<SeenEvent[]>;

/**
 * Turns a record into JSON for storage: `snapshot(record.state)` plus the record's remembered event ids.
 *
 * @param record - the record `PresenceStore.save` was given
 * @returns `{ schemaVersion: 1, state, seen }`, plain JSON
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
  return { ...snapshot(record.state), seen: record.seen };
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
  const { seen, ...stateSnapshot } = input;
  const issues: PresenceIssue[] = [];
  let state;
  try {
    state = restore(stateSnapshot);
  } catch (error) {
    if (!(error instanceof PresenceSnapshotError)) throw error;
    issues.push(...error.issues);
  }
  const parsed = seenSchema.safeParse(seen ?? []);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ path: ['seen', ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))], message: issue.message });
    }
  }
  if (issues.length > 0 || state === undefined || !parsed.success) throw new PresenceSnapshotError(issues);
  return { state, seen: parsed.data };
}
