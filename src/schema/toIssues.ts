import type { z } from 'zod';
import type { PresenceIssue } from '../core/index';

/**
 * Turns a zod error into the package's issues.
 *
 * @internal
 */
export function toIssues(error: z.ZodError): PresenceIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    message: issue.message,
  }));
}
