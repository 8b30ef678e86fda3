import type { PresenceEvent, PresenceMachine, PresenceState, Transition } from '../core/index';
import type { WorkEventKind, WorkHistoryEntry } from './ports';

/** The event types a report counts, and what each is counted as (when accepted). */
const KINDS: Partial<Readonly<Record<PresenceEvent['type'], WorkEventKind>>> = {
  workAssigned: 'assigned',
  workReleased: 'released',
  workMissed: 'missed',
  workRejected: 'rejected',
};

/**
 * The work entries a save makes for the history (see {@link WorkHistoryEntry}): one when the event is an accepted
 * work event, or when the units the agent holds changed (a wrap-up that ended, work dropped at sign-out); none
 * otherwise (a heartbeat, a pick).
 *
 * @internal
 */
export function workEntriesOf(
  agentId: string,
  event: PresenceEvent,
  machine: PresenceMachine,
  before: PresenceState,
  transition: Transition,
): Omit<WorkHistoryEntry, 'version' | 'generation'>[] {
  const kind = transition.rejection === undefined ? KINDS[event.type] : undefined;
  // The common case (a heartbeat, a pick): the same work list, nothing to measure.
  if (kind === undefined && before.work === transition.state.work) return [];
  const after = machine.capacityOf(transition.state).units;
  if (kind === undefined && machine.capacityOf(before).units.used === after.used) return [];
  const workItemId = kind !== undefined && 'workItemId' in event ? event.workItemId : undefined;
  return [
    {
      agentId,
      at: Math.max(event.at, before.lastAt) + 0, // the applied time, as the machine applies a late event
      ...(kind !== undefined ? { kind } : {}),
      ...(workItemId !== undefined ? { workItemId } : {}),
      used: after.used,
      capacity: after.capacity,
      ...(event.eventId !== undefined ? { eventId: event.eventId } : {}),
    },
  ];
}
