import { readEvent, type PresenceEvent } from '../core/index';
import { PresenceEventError } from './PresenceEventError';
import { presenceEventSchema } from './presenceEventSchema';
import { toIssues } from './toIssues';

/**
 * The outcome of {@link safeParseEvent}: the event, or the error that `parseEvent` would throw.
 *
 * @category Parsing
 * @example
 * ```ts
 * import { safeParseEvent, type SafeParseEventResult } from 'agent-presence/schema';
 * const result: SafeParseEventResult = safeParseEvent({ type: 'signIn', at: 0 });
 * ```
 */
export type SafeParseEventResult =
  | { readonly success: true; readonly data: PresenceEvent }
  | { readonly success: false; readonly error: PresenceEventError };

/**
 * Checks untrusted input (a message off a wire, a parsed JSON body) and returns it as a presence event, or the
 * error naming each bad field. Never throws.
 *
 * @param input - anything
 * @returns `{ success: true, data }` or `{ success: false, error }`
 * @category Parsing
 * @example
 * ```ts
 * import { safeParseEvent } from 'agent-presence/schema';
 * const result = safeParseEvent(JSON.parse('{"type":"setPresence","presenceId":"away","at":1700000000000}'));
 * if (result.success) console.log(result.data.type);
 * else console.error(result.error.message);
 * ```
 */
export function safeParseEvent(input: unknown): SafeParseEventResult {
  // Read once first (the core's readEvent): getters and proxies meet one read each, and one that throws is a
  // problem of its field; the schema then checks a plain copy.
  const reading = readEvent(input);
  if (reading.issues !== undefined) return { success: false, error: new PresenceEventError(reading.issues) };
  const result = presenceEventSchema.safeParse(reading.event);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, error: new PresenceEventError(toIssues(result.error)) };
}

/**
 * Checks untrusted input and returns it as a presence event, with unknown fields dropped.
 *
 * @param input - anything
 * @returns the event
 * @throws {@link PresenceEventError} naming each bad field by path
 * @category Parsing
 * @example
 * ```ts
 * import { parseEvent } from 'agent-presence/schema';
 * const event = parseEvent({ type: 'workReleased', workItemId: 'chat-1', at: 1700000000000 });
 * ```
 */
export function parseEvent(input: unknown): PresenceEvent {
  const result = safeParseEvent(input);
  if (!result.success) throw result.error;
  return result.data;
}
