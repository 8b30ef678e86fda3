import { z } from 'zod';
import {
  fieldRules,
  MAX_HELD_ITEMS,
  MAX_SESSIONS,
  PRESENCE_SOURCES,
  type AgentSession,
  type BaseStatus,
  type HeldWorkItem,
  type PresenceChoice,
  type PresenceSource,
  type PresenceState,
} from '../core/index';
import { describeValue } from '../core/fieldRules';
import { fieldSchema } from './fieldSchema';

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): string | undefined =>
    (values as readonly unknown[]).includes(value) ? undefined : `must be one of ${values.join(', ')} (got ${describeValue(value)})`;

/** A plain object with exactly these fields; a non-object is named as the field rules name bad values. */
const record = <S extends z.core.$ZodLooseShape>(shape: S, what = 'an object') =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === 'invalid_type' ? `must be ${what} (got ${describeValue(issue.input)})` : undefined),
  });

const id = fieldSchema<string>(fieldRules.id);
const time = fieldSchema<number>(fieldRules.time);
const base = fieldSchema<BaseStatus>(fieldRules.base);

const heldWorkItemSchema: z.ZodType<HeldWorkItem> = record({
  workItemId: id,
  units: fieldSchema<number>(fieldRules.units),
  since: time,
  profile: id.optional(),
  wrapUpUntil: time.optional(),
}) as z.ZodType<HeldWorkItem>;

const sessionSchema: z.ZodType<AgentSession> = record({ sessionId: id, lastSeen: time });

const presenceChoiceSchema: z.ZodType<PresenceChoice> = record(
  {
    presenceId: id,
    base,
    source: fieldSchema<PresenceChoice['source']>(oneOf(['manual', 'default', 'missed', 'rejected', 'config'])),
  },
  'null or an object',
);

/**
 * Schema of one agent's {@link PresenceState} as the core makes it: every field with the core's own
 * `fieldRules`, no unknown fields, work item ids unique, and no time after `lastAt` (the latest time applied).
 * `restore` reads snapshots with it; use it directly to check a state kept outside a snapshot.
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
export const presenceStateSchema: z.ZodType<PresenceState> = (record({
    agentId: id,
    signedIn: fieldSchema<boolean>(fieldRules.flag),
    sessions: z.array(sessionSchema, { error: (issue) => `must be an array of sessions (got ${describeValue(issue.input)})` }),
    presenceId: id,
    base,
    source: fieldSchema<PresenceSource>(oneOf(PRESENCE_SOURCES)),
    since: time,
    choice: presenceChoiceSchema.nullable(),
    next: presenceChoiceSchema.nullable(),
    work: z.array(heldWorkItemSchema, { error: (issue) => `must be an array of work items (got ${describeValue(issue.input)})` }),
    lastActivity: time,
    idle: fieldSchema<boolean>(fieldRules.flag),
    reconnect: record({ until: time, choice: presenceChoiceSchema.nullable() }, 'null or an object').nullable(),
    lastAt: time,
  }) as unknown as z.ZodObject & z.ZodType<PresenceState>).superRefine((state, ctx) => {
    if (state.signedIn !== state.sessions.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['signedIn'], message: `must be ${state.sessions.length > 0} while ${state.sessions.length} sessions are signed in (got ${state.signedIn})` });
    }
    // The machine never holds more than its limits; a record past them was not written by it, and would cost every event.
    if (state.sessions.length > MAX_SESSIONS) {
      ctx.addIssue({ code: 'custom', path: ['sessions'], message: `must hold at most ${MAX_SESSIONS} sessions (got ${state.sessions.length})` });
    }
    if (state.work.length > MAX_HELD_ITEMS) {
      ctx.addIssue({ code: 'custom', path: ['work'], message: `must hold at most ${MAX_HELD_ITEMS} items (got ${state.work.length})` });
    }
    if (state.since > state.lastAt) {
      ctx.addIssue({ code: 'custom', path: ['since'], message: `must not be after lastAt (${state.lastAt}) (got ${state.since})` });
    }
    const seen = new Set<string>();
    state.work.forEach((item, index) => {
      if (seen.has(item.workItemId)) {
        ctx.addIssue({ code: 'custom', path: ['work', index, 'workItemId'], message: `duplicates the work item ${describeValue(item.workItemId)} held earlier in the list` });
      }
      seen.add(item.workItemId);
      if (item.since > state.lastAt) {
        ctx.addIssue({ code: 'custom', path: ['work', index, 'since'], message: `must not be after lastAt (${state.lastAt}) (got ${item.since})` });
      }
    });
  });
