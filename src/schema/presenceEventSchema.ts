import { z } from 'zod';
import {
  EVENT_FIELDS,
  EVENT_TYPES,
  validateEvent,
  type PresenceEvent,
  type SetPresenceEvent,
  type SignInEvent,
  type SignOutEvent,
  type WorkAssignedEvent,
  type WorkReleasedEvent,
  type FieldRule,
} from '../core/index';

type EventOf<T extends PresenceEvent['type']> = Extract<PresenceEvent, { type: T }>;

/**
 * A field checked by a core rule without aborting the object's parse (a failed `z.custom` does abort it), so
 * that the check of a field required only with others still runs and every bad path is named at once.
 */
const checkedField = (rule: FieldRule) =>
  z.unknown().superRefine((value, context) => {
    const problem = rule(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem, input: value });
  });

/** Builds the schema of one event type from the core's description of its fields. */
function eventSchema<T extends PresenceEvent['type']>(type: T) {
  const shape: Record<string, z.ZodType> = { type: z.literal(type) };
  for (const [field, rule, required] of EVENT_FIELDS[type]) shape[field] = required === true ? checkedField(rule) : checkedField(rule).optional();
  // A field required only with some others (units without a capacity profile) is checked on the whole event.
  const conditional = EVENT_FIELDS[type].filter(([, , required]) => typeof required === 'function');
  return z.object(shape).superRefine((event: Record<string, unknown>, context) => {
    for (const [field, rule, required] of conditional) {
      if (event[field] === undefined && typeof required === 'function' && required(event)) {
        context.addIssue({ code: 'custom', path: [field], message: rule(undefined) ?? 'is required', input: undefined });
      }
    }
  }) as unknown as z.ZodObject<{ type: z.ZodLiteral<T> }> & z.ZodType<EventOf<T>>;
}

/**
 * Schema of a `signIn` event.
 *
 * @category Schemas
 * @example
 * ```ts
 * import { signInEventSchema } from 'agent-presence/schema';
 * signInEventSchema.parse({ type: 'signIn', at: 0 });
 * ```
 */
export const signInEventSchema: z.ZodType<SignInEvent> = eventSchema('signIn');
/**
 * Schema of a `signOut` event.
 *
 * @category Schemas
 * @example
 * ```ts
 * import { signOutEventSchema } from 'agent-presence/schema';
 * signOutEventSchema.parse({ type: 'signOut', at: 0 });
 * ```
 */
export const signOutEventSchema: z.ZodType<SignOutEvent> = eventSchema('signOut');
/**
 * Schema of a `setPresence` event.
 *
 * @category Schemas
 * @example
 * ```ts
 * import { setPresenceEventSchema } from 'agent-presence/schema';
 * setPresenceEventSchema.parse({ type: 'setPresence', presenceId: 'away', at: 0 });
 * ```
 */
export const setPresenceEventSchema: z.ZodType<SetPresenceEvent> = eventSchema('setPresence');
/**
 * Schema of a `workAssigned` event.
 *
 * @category Schemas
 * @example
 * ```ts
 * import { workAssignedEventSchema } from 'agent-presence/schema';
 * workAssignedEventSchema.parse({ type: 'workAssigned', workItemId: 'chat-1', units: 40, at: 0 });
 * ```
 */
export const workAssignedEventSchema: z.ZodType<WorkAssignedEvent> = eventSchema('workAssigned');
/**
 * Schema of a `workReleased` event.
 *
 * @category Schemas
 * @example
 * ```ts
 * import { workReleasedEventSchema } from 'agent-presence/schema';
 * workReleasedEventSchema.parse({ type: 'workReleased', workItemId: 'chat-1', at: 0 });
 * ```
 */
export const workReleasedEventSchema: z.ZodType<WorkReleasedEvent> = eventSchema('workReleased');

/**
 * Schema of any presence event, discriminated on `type`. Built from the core's `EVENT_FIELDS` and `fieldRules`,
 * so it accepts exactly what the machine accepts and its messages are the machine's. Unknown fields are dropped
 * from the output.
 *
 * @category Schemas
 * @example
 * ```ts
 * import { presenceEventSchema } from 'agent-presence/schema';
 * const result = presenceEventSchema.safeParse(JSON.parse('{"type":"workAssigned","workItemId":"c1","units":40,"at":0}'));
 * if (result.success) console.log(result.data.type); // workAssigned
 * ```
 */
export const presenceEventSchema: z.ZodType<PresenceEvent> = z
  // The root first, as the core checks it: a Map, a Date or a class instance is no event, and the issue is at the
  // root (the union alone would report it at `type`, and would take a class instance).
  .custom<unknown>((input) => validateEvent(input)[0]?.path.length !== 0, { error: (issue) => validateEvent(issue.input)[0]?.message })
  .pipe(
    z.discriminatedUnion('type', EVENT_TYPES.map(eventSchema) as unknown as [ReturnType<typeof eventSchema<'signIn'>>], {
      error: (issue) => validateEvent(issue.input)[0]?.message,
    }),
  ) as unknown as z.ZodType<PresenceEvent>;
