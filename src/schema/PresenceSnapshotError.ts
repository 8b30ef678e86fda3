import { formatIssues, type PresenceIssue } from '../core/index';

/**
 * Thrown by `restore` when its input is not a snapshot this release can read: `issues` names each problem by
 * path (`state.work[0].units`), the message lists them. Nothing is restored in part.
 *
 * @category Errors
 * @example
 * ```ts
 * import { restore, PresenceSnapshotError } from 'agent-presence/schema';
 * try {
 *   restore({ schemaVersion: 1, state: { agentId: '' } });
 * } catch (error) {
 *   if (error instanceof PresenceSnapshotError) console.log(error.issues[0]?.path); // ['state', 'agentId']
 * }
 * ```
 */
export class PresenceSnapshotError extends Error {
  /** Every problem found, each with the path of its field from the snapshot's root. */
  readonly issues: readonly PresenceIssue[];

  /**
   * @param issues - the problems found; at least one
   */
  constructor(issues: readonly PresenceIssue[]) {
    super(formatIssues(issues, 'Invalid presence snapshot'));
    this.name = 'PresenceSnapshotError';
    this.issues = issues;
  }
}
