import { EVENT_FIELDS } from './EVENT_FIELDS';
import type { PresenceEvent } from './PresenceEvent';

/**
 * The `type` of every {@link PresenceEvent}, in the order of {@link EVENT_FIELDS}.
 *
 * @category Events
 * @example
 * ```ts
 * import { EVENT_TYPES } from 'agent-presence';
 * EVENT_TYPES.includes('signIn'); // true
 * ```
 */
export const EVENT_TYPES = /* @__PURE__ */ Object.keys(EVENT_FIELDS) as readonly PresenceEvent['type'][];
