import type { HandlerTable } from './Handler';
import { presenceHandlers } from './presenceHandlers';
import { sessionHandlers } from './sessionHandlers';
import { timeHandlers } from './timeHandlers';
import { workHandlers } from './workHandlers';

/**
 * The handler of every event type, by family. To add an event type: its interface in PresenceEvent.ts, its fields
 * in EVENT_FIELDS, its handler in the family it belongs to (TypeScript names each place that misses it, and the
 * reference model's, the generators' and the hostile seeds' tables of `agent-presence/testing` too).
 */
export const eventHandlers: HandlerTable = { ...sessionHandlers, ...presenceHandlers, ...workHandlers, ...timeHandlers };
