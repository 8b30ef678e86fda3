/**
 * One problem found in a config, an event or a snapshot: where it is and what is wrong.
 *
 * `path` names the field from the root of the checked value, e.g. `['presences', 0, 'base']`.
 *
 * @category Errors
 * @example
 * ```ts
 * import { PresenceConfigError, createPresenceMachine } from 'agent-presence';
 * try {
 *   createPresenceMachine({ defaultProfile: { capacity: -1 } });
 * } catch (error) {
 *   if (error instanceof PresenceConfigError) console.log(error.issues[0]?.path); // ['defaultProfile', 'capacity']
 * }
 * ```
 */
export interface PresenceIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Renders a path the way a developer writes it: `presences[0].base`, `agents["agent-7"].capacity`.
 *
 * @param path - the path of a {@link PresenceIssue}
 * @returns the path as one string; `(root)` for an empty path
 * @category Errors
 * @example
 * ```ts
 * import { formatPath } from 'agent-presence';
 * formatPath(['agents', 'agent-7', 'capacity']); // 'agents["agent-7"].capacity'
 * ```
 */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) {
    // A number never matches the identifier pattern, and JSON.stringify shows an index as [3].
    if (/^[A-Za-z_$][\w$]*$/.test(key as string)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Renders issues as lines `- path: message`, one per issue, for error messages; with a heading, the heading comes
 * first on a line of its own, `Invalid presence config:`.
 *
 * @param issues - the issues to render
 * @param heading - what the issues are about, put before the lines
 * @returns one line per issue, after the heading line when there is one
 * @category Errors
 * @example
 * ```ts
 * import { formatIssues } from 'agent-presence';
 * console.log(formatIssues([{ path: ['at'], message: 'must be a finite number' }])); // - at: must be a finite number
 * console.log(formatIssues([{ path: [], message: 'must be an object' }], 'Invalid event'));
 * // Invalid event:
 * // - (root): must be an object
 * ```
 */
export function formatIssues(issues: readonly PresenceIssue[], heading?: string): string {
  const lines = issues.map((issue) => `- ${formatPath(issue.path)}: ${issue.message}`).join('\n');
  if (heading === undefined) return lines;
  return `${heading}:\n${lines}`;
}

/**
 * The problem of a value whose getter (or proxy trap) threw, at `path`. What it threw is never read: it may be as
 * hostile as the getter that threw it.
 *
 * @internal
 */
export const unreadable = (path: readonly (string | number)[]): PresenceIssue => ({ path, message: 'could not be read (a getter or proxy threw)' });
