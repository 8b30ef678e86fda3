import {
  fieldRules,
  MAX_HELD_ITEMS,
  MAX_SESSIONS,
  PRESENCE_SOURCES,
  type AgentSession,
  type HeldWorkItem,
  type PresenceChoice,
  type PresenceState,
} from '../core/index';
import { describeValue } from '../core/internal';
import { arrayOf, field, MAX_ISSUES, nullable, objectOf, optional, type ShapeCheck } from './ShapeCheck';

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): string | undefined =>
    (values as readonly unknown[]).includes(value) ? undefined : `must be one of ${values.join(', ')} (got ${describeValue(value)})`;

const id = field<string>(fieldRules.id);
const time = field<number>(fieldRules.time);
const base = field(fieldRules.base);
const flag = field<boolean>(fieldRules.flag);

const heldWorkItem = objectOf<HeldWorkItem>(
  { workItemId: id, units: field(fieldRules.units), since: time, profile: optional(id), wrapUpUntil: optional(time) },
  true,
);

const session = objectOf<AgentSession>({ sessionId: id, lastSeen: time }, true);

const presenceChoice = nullable(
  objectOf<PresenceChoice>({ presenceId: id, base, source: field(oneOf(['manual', 'default', 'missed', 'rejected', 'config'])) }, true, 'null or an object'),
);

const stateFields = objectOf<PresenceState>(
  {
    agentId: id,
    signedIn: flag,
    // The machine never holds more than its limits; a record past them was not written by it (its items are not looked at).
    sessions: arrayOf(session, 'an array of sessions', { max: MAX_SESSIONS, items: 'sessions' }),
    presenceId: id,
    base,
    source: field(oneOf(PRESENCE_SOURCES)),
    since: time,
    choice: presenceChoice,
    next: presenceChoice,
    work: arrayOf(heldWorkItem, 'an array of work items', { max: MAX_HELD_ITEMS, items: 'items' }),
    lastActivity: time,
    idle: flag,
    reconnect: nullable(objectOf<NonNullable<PresenceState['reconnect']>>({ until: time, choice: presenceChoice }, true, 'null or an object')),
    lastAt: time,
  },
  true,
);

/**
 * Checks one agent's {@link PresenceState} as the core makes it: every field with the core's own `fieldRules`, no
 * unknown fields, and, once every field is fine, what holds between them: `signedIn` agrees with the sessions,
 * work item ids are unique, no time is after `lastAt`. Returns a copy of the state. `restore` and
 * `presenceStateSchema` both read states with it; it needs no zod.
 *
 * @internal
 */
export const checkPresenceState: ShapeCheck<PresenceState> = (value, path, issues) => {
  const before = issues.length;
  const state = stateFields(value, path, issues);
  if (issues.length > before) return state;
  const at = (...keys: (string | number)[]) => [...path, ...keys];
  if (state.signedIn !== state.sessions.length > 0) {
    issues.push({
      path: at('signedIn'),
      message: `must be ${state.sessions.length > 0} while ${state.sessions.length} sessions are signed in (got ${state.signedIn})`,
    });
  }
  if (state.since > state.lastAt) {
    issues.push({ path: at('since'), message: `must not be after lastAt (${state.lastAt}) (got ${state.since})` });
  }
  const seen = new Set<string>();
  for (const [index, item] of state.work.entries()) {
    if (issues.length >= MAX_ISSUES) break;
    if (seen.has(item.workItemId)) {
      issues.push({ path: at('work', index, 'workItemId'), message: `duplicates the work item ${describeValue(item.workItemId)} held earlier in the list` });
    }
    seen.add(item.workItemId);
    if (item.since > state.lastAt) {
      issues.push({ path: at('work', index, 'since'), message: `must not be after lastAt (${state.lastAt}) (got ${item.since})` });
    }
  }
  return state;
};
