import { fieldRules, type FieldRule } from './fieldRules';
import type { PresenceEvent } from './PresenceEvent';

/**
 * One field of an event: its name, the rule its value must meet, and whether it must be present (an optional
 * field may be left out, but when given it must meet the rule). `required` may depend on the other fields: a
 * work assignment needs `units` unless it names a capacity profile.
 *
 * @category Validation
 * @example
 * ```ts
 * import { EVENT_FIELDS, type EventField } from 'agent-presence';
 * const always: EventField[] = EVENT_FIELDS.workAssigned.filter(([, , required]) => required === true);
 * console.log(always.map(([field]) => field)); // ['workItemId', 'at']
 * ```
 */
export type EventField = readonly [field: string, rule: FieldRule, required: boolean | ((event: Readonly<Record<string, unknown>>) => boolean)];

const AT: EventField = ['at', fieldRules.time, true];
const EVENT_ID: EventField = ['eventId', fieldRules.id, false];
const SESSION: EventField = ['sessionId', fieldRules.id, false];

/**
 * The fields each event type carries beside `type`, with the rule each must meet: the one description of an
 * event's shape, which `validateEvent` checks and the zod schemas of `agent-presence/schema` are built from.
 *
 * @category Validation
 * @example
 * ```ts
 * import { EVENT_FIELDS } from 'agent-presence';
 * console.log(EVENT_FIELDS.workAssigned.map(([field]) => field)); // ['workItemId', 'units', 'profile', 'at', 'eventId']
 * ```
 */
export const EVENT_FIELDS: Readonly<Record<PresenceEvent['type'], readonly EventField[]>> = {
  signIn: [SESSION, AT, EVENT_ID],
  signOut: [SESSION, AT, EVENT_ID],
  heartbeat: [SESSION, AT, EVENT_ID],
  disconnected: [SESSION, AT, EVENT_ID],
  activity: [AT, EVENT_ID],
  tick: [AT, EVENT_ID],
  setPresence: [['presenceId', fieldRules.id, true], ['when', fieldRules.when, false], AT, EVENT_ID],
  resetPresence: [AT, EVENT_ID],
  workAssigned: [
    ['workItemId', fieldRules.id, true],
    ['units', fieldRules.units, (event) => event.profile === undefined],
    ['profile', fieldRules.id, false],
    AT,
    EVENT_ID,
  ],
  workReleased: [['workItemId', fieldRules.id, true], ['wrapUpMs', fieldRules.duration, false], AT, EVENT_ID],
  wrapUpEnded: [['workItemId', fieldRules.id, true], AT, EVENT_ID],
  workMissed: [['workItemId', fieldRules.id, false], AT, EVENT_ID],
  workRejected: [['workItemId', fieldRules.id, false], AT, EVENT_ID],
};
