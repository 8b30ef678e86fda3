import type { PresenceMachine } from '../core/index';
import type { PresenceRecord } from './ports';

/** How long an agent must have been signed out, and the dedup window its remembered event ids must be past. */
export interface ForgetPolicy {
  readonly signedOutForMs: number;
  readonly dedupWindowMs: number;
}

/**
 * Whether the service may forget an agent at `now` (service clock): signed out, holding no work, with nothing
 * pending (no deadline: no reconnect grace, no wrap-up), nothing applied for `signedOutForMs` (by the state's
 * latest event time), and every event id it remembers older than the dedup window, so that forgetting never lets a
 * redelivered event apply twice. Such an agent behaves at its next event as one never seen.
 *
 * @internal
 */
export function isForgettable(record: PresenceRecord, machine: PresenceMachine, now: number, policy: ForgetPolicy): boolean {
  const { state, seen } = record;
  if (state.signedIn || state.work.length > 0 || !(now - state.lastAt >= policy.signedOutForMs)) return false;
  if (!seen.every((entry) => now - entry.seenAt > policy.dedupWindowMs)) return false;
  return machine.nextDeadline(state) === undefined;
}
