import type { PresenceIssue } from '../core/index';

/**
 * Reads input that may arrive as JSON text: a string is parsed, anything else is passed through. Text that is not
 * JSON becomes the caller's named error, with one issue at the root.
 *
 * @internal
 */
export function parseJsonText(input: unknown, error: (issues: PresenceIssue[]) => Error): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (cause) {
    throw error([{ path: [], message: `must be JSON (${(cause as Error).message})` }]);
  }
}
