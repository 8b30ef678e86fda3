import { EVENT_FIELDS, readEvent, type PresenceEvent } from '../core/index';
import { PresenceEventError } from './PresenceEventError';

/**
 * A valid event as a fresh plain object with only the fields of its type (in the order `EVENT_FIELDS` lists them):
 * what `parseEvent` returns and `presenceEventSchema` outputs.
 *
 * @internal
 */
export function pickEventFields(event: PresenceEvent): PresenceEvent {
  const input = event as unknown as Readonly<Record<string, unknown>>;
  const picked: Record<string, unknown> = { type: event.type };
  for (const [field] of EVENT_FIELDS[event.type]) {
    const value = input[field];
    if (value !== undefined || field in input) picked[field] = value;
  }
  return picked as unknown as PresenceEvent;
}

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
export type SafeParseEventResult = { readonly success: true; readonly data: PresenceEvent } | { readonly success: false; readonly error: PresenceEventError };

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
  // Read once (the core's readEvent): getters and proxies meet one read each, one that throws is a problem of its
  // field, and what was checked is the plain copy returned.
  const reading = readEvent(input);
  return reading.event !== undefined ? { success: true, data: reading.event } : { success: false, error: new PresenceEventError(reading.issues) };
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
