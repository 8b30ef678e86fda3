import type { ZodMiniType } from 'zod/mini';
import type { PresenceIssue, PresenceState } from '../core/index';
import { checkPresenceState } from './checkPresenceState';
import { issueSchema } from './issueSchema';

/**
 * Schema of one agent's {@link PresenceState} as the core makes it: every field with the core's own
 * `fieldRules`, no unknown fields, work item ids unique, and no time after `lastAt` (the latest time applied).
 * It runs the same checks as `restore` reads snapshots with; use it directly to check a state kept outside a
 * snapshot. A `zod/mini` schema; the output is the input itself.
 *
 * @category Schemas
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { presenceStateSchema } from 'agent-presence/schema';
 * const state = createPresenceMachine({}).initialState('agent-7');
 * console.log(presenceStateSchema.safeParse(state).success); // true
 * const bad = presenceStateSchema.safeParse({ ...state, base: 'Lunch' });
 * if (!bad.success) console.log(bad.error.issues[0]?.path); // ['base']
 * ```
 */
export const presenceStateSchema: ZodMiniType<PresenceState> = issueSchema<PresenceState>((value) => {
  const issues: PresenceIssue[] = [];
  checkPresenceState(value, [], issues);
  return issues;
});
