import { formatIssues, type PresenceIssue } from './PresenceIssue';

/**
 * Thrown by `createPresenceMachine` (and `parseConfig` of `agent-presence/schema`) when the config has problems.
 * `issues` lists every problem at once, each with the path of the field; the message lists them too.
 *
 * @category Errors
 * @example
 * ```ts
 * import { createPresenceMachine, PresenceConfigError } from 'agent-presence';
 * try {
 *   createPresenceMachine({ presences: [{ id: 'away', name: 'Away again', base: 'Away' }] });
 * } catch (error) {
 *   if (error instanceof PresenceConfigError) {
 *     for (const issue of error.issues) console.log(issue.path.join('.'), issue.message);
 *   }
 * }
 * ```
 */
export class PresenceConfigError extends Error {
  /** Every problem found, in the order of the config's fields. */
  readonly issues: readonly PresenceIssue[];

  /**
   * @param issues - the problems found; at least one
   */
  constructor(issues: readonly PresenceIssue[]) {
    super(formatIssues(issues, 'Invalid presence config'));
    this.name = 'PresenceConfigError';
    this.issues = issues;
  }
}
