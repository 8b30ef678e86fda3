import { pipe, transform, type ZodMiniType } from 'zod/mini';
import {
  validateEvent,
  type PresenceEvent,
  type PresenceIssue,
  type SetPresenceEvent,
  type SignInEvent,
  type SignOutEvent,
  type WorkAssignedEvent,
  type WorkReleasedEvent,
} from '../core/index';
import { describeValue } from '../core/internal';
import { issueSchema } from './issueSchema';
import { pickEventFields } from './parseEvent';

/**
 * The problems of an event, as the core's `validateEvent` finds them; for the schema of one type, an event of
 * another type is refused at `type`.
 */
function eventIssues(input: unknown, type?: PresenceEvent['type']): readonly PresenceIssue[] {
  const issues = validateEvent(input);
  if (type === undefined || issues[0]?.path.length === 0) return issues;
  const given = (input as { type?: unknown }).type;
  return given === type ? issues : [{ path: ['type'], message: `must be ${type} (got ${describeValue(given)})` }];
}

/** The schema of events (of one type, or of any): the core's checks, then the event's own fields only. */
function eventSchema<T extends PresenceEvent>(type?: T['type']): ZodMiniType<T> {
  return pipe(
    issueSchema<T>((input) => eventIssues(input, type)),
    transform((event: T) => pickEventFields(event) as T),
  );
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
export const signInEventSchema: ZodMiniType<SignInEvent> = eventSchema<SignInEvent>('signIn');
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
export const signOutEventSchema: ZodMiniType<SignOutEvent> = eventSchema<SignOutEvent>('signOut');
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
export const setPresenceEventSchema: ZodMiniType<SetPresenceEvent> = eventSchema<SetPresenceEvent>('setPresence');
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
export const workAssignedEventSchema: ZodMiniType<WorkAssignedEvent> = eventSchema<WorkAssignedEvent>('workAssigned');
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
export const workReleasedEventSchema: ZodMiniType<WorkReleasedEvent> = eventSchema<WorkReleasedEvent>('workReleased');

/**
 * Schema of any presence event (a `zod/mini` schema). It checks with the core's `validateEvent` (built from
 * `EVENT_FIELDS` and `fieldRules`), so it accepts exactly what the machine accepts and its messages are the
 * machine's. Unknown fields are dropped from the output.
 *
 * @category Schemas
 * @example
 * ```ts
 * import { presenceEventSchema } from 'agent-presence/schema';
 * const result = presenceEventSchema.safeParse(JSON.parse('{"type":"workAssigned","workItemId":"c1","units":40,"at":0}'));
 * if (result.success) console.log(result.data.type); // workAssigned
 * ```
 */
export const presenceEventSchema: ZodMiniType<PresenceEvent> = eventSchema<PresenceEvent>();
