import { parseJsonText } from './parseJsonText';
import type { PresenceIssue, PresenceState } from '../core/index';
import { describeValue, isPlainObject } from '../core/internal';
import { checkPresenceState } from './checkPresenceState';
import { PresenceSnapshotError } from './PresenceSnapshotError';
import { field, objectOf } from './ShapeCheck';

/**
 * The snapshot format version this release writes and reads. A later release that changes `PresenceState`
 * writes a higher version and reads the earlier ones.
 *
 * @category Snapshots
 * @example
 * ```ts
 * import { SNAPSHOT_SCHEMA_VERSION } from 'agent-presence/schema';
 * console.log(SNAPSHOT_SCHEMA_VERSION); // 1
 * ```
 */
export const SNAPSHOT_SCHEMA_VERSION = 1;

/**
 * One agent's state as stored: plain JSON with the format version beside it, so a later release can tell what
 * it reads.
 *
 * @category Snapshots
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { snapshot, type PresenceSnapshot } from 'agent-presence/schema';
 * const stored: PresenceSnapshot = snapshot(createPresenceMachine({}).initialState('agent-7'));
 * ```
 */
export interface PresenceSnapshot {
  readonly schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  readonly state: PresenceState;
}

const checkSnapshot = objectOf<PresenceSnapshot>(
  {
    schemaVersion: field((value) =>
      value === SNAPSHOT_SCHEMA_VERSION
        ? undefined
        : `must be ${SNAPSHOT_SCHEMA_VERSION}, the snapshot version this release reads (got ${describeValue(value)})`,
    ),
    state: checkPresenceState,
  },
  true,
);

/**
 * Wraps a state as a versioned snapshot for storage: `JSON.stringify` the result and keep it anywhere.
 *
 * @param state - an agent's state, as the machine made it
 * @returns `{ schemaVersion: 1, state }`, plain JSON (the state is not copied)
 * @category Snapshots
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { snapshot } from 'agent-presence/schema';
 * const machine = createPresenceMachine({});
 * const { state } = machine.transition(machine.initialState('agent-7'), { type: 'signIn', at: 1_000 });
 * console.log(JSON.stringify(snapshot(state)).slice(0, 40)); // {"schemaVersion":1,"state":{"agentId":"a
 * ```
 */
export function snapshot(state: PresenceState): PresenceSnapshot {
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, state };
}

/**
 * Reads a snapshot back, checking all of it: the version, every field of the state with the core's field rules,
 * and that nothing unknown is in it. Takes the parsed JSON or the JSON text itself.
 *
 * @param json - a snapshot as `snapshot` made it, parsed or as JSON text
 * @returns the state, ready for `machine.transition`
 * @throws {@link PresenceSnapshotError} naming each problem by path (`state.work[0].units`)
 * @category Snapshots
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { restore, snapshot, PresenceSnapshotError } from 'agent-presence/schema';
 * const state = createPresenceMachine({}).initialState('agent-7');
 * const text = JSON.stringify(snapshot(state));
 * console.log(restore(text).presenceId); // offline
 * try {
 *   restore({ schemaVersion: 1, state: { ...state, work: [{ workItemId: 'c1', units: -1, since: 0 }] } });
 * } catch (error) {
 *   if (error instanceof PresenceSnapshotError) console.log(error.message);
 *   // Invalid presence snapshot:
 *   // - state.work[0].units: must be a finite number ≥ 0 (got -1)
 * }
 * ```
 */
export function restore(json: unknown): PresenceState {
  const input = parseJsonText(json, (issues) => new PresenceSnapshotError(issues));
  if (isPlainObject(input) && !('schemaVersion' in input) && 'agentId' in input) {
    throw new PresenceSnapshotError([{ path: [], message: 'must be a snapshot { schemaVersion, state } (got a bare state: store snapshot(state) instead)' }]);
  }
  const issues: PresenceIssue[] = [];
  const { state } = checkSnapshot(input, [], issues);
  if (issues.length > 0) throw new PresenceSnapshotError(issues);
  return state;
}
