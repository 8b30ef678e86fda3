import { custom, superRefine, type ZodMiniType } from 'zod/mini';
import type { PresenceIssue } from '../core/index';

/**
 * A zod schema that accepts what a plain check finds no problem with, and reports each problem the check finds as
 * a zod issue with the same path and message. The schemas of `agent-presence/schema` are built so around the
 * core's checks (and the snapshot checks), which stay the one place the rules live; the output is the input.
 *
 * @internal
 */
export function issueSchema<T>(issuesOf: (value: unknown) => readonly PresenceIssue[]): ZodMiniType<T> {
  return custom<T>().check(
    superRefine((value, context) => {
      for (const issue of issuesOf(value)) context.addIssue({ code: 'custom', message: issue.message, path: [...issue.path], input: value });
    }),
  );
}
