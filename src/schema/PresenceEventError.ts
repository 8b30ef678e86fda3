import { formatIssues, type PresenceIssue } from '../core/index';

/**
 * Thrown by `parseEvent` when its input is not a valid presence event. `issues` names each bad field by path;
 * the message lists them.
 *
 * @category Errors
 * @example
 * ```ts
 * import { parseEvent, PresenceEventError } from 'agent-presence/schema';
 * try {
 *   parseEvent({ type: 'workAssigned', workItemId: 'c1', units: -1, at: 0 });
 * } catch (error) {
 *   if (error instanceof PresenceEventError) console.log(error.message);
 *   // Invalid presence event:
 *   // - units: must be a finite number ≥ 0 (got -1)
 * }
 * ```
 */
export class PresenceEventError extends Error {
  /** Every problem found, each with the path of its field. */
  readonly issues: readonly PresenceIssue[];

  /**
   * @param issues - the problems found; at least one
   */
  constructor(issues: readonly PresenceIssue[]) {
    super(formatIssues(issues, 'Invalid presence event'));
    this.name = 'PresenceEventError';
    this.issues = issues;
  }
}
