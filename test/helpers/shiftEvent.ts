import type { PresenceEvent } from '../../src/index';

/** Step `n` of a busy shift (the memory test and the memory bench): every event changes the presence. */
export function shiftEvent(n: number, at: number, eventId: string): PresenceEvent {
  switch (n % 6) {
    case 0:
      return { type: 'workAssigned', workItemId: `chat-${n}`, units: 40, at, eventId };
    case 1:
      return { type: 'workReleased', workItemId: `chat-${n - 1}`, at, eventId };
    case 2:
      return { type: 'workAssigned', workItemId: `case-${n}`, units: 40, at, eventId };
    case 3:
      return { type: 'workReleased', workItemId: `case-${n - 1}`, at, eventId };
    case 4:
      return { type: 'setPresence', presenceId: 'away-training', at, eventId };
    default:
      return { type: 'resetPresence', at, eventId };
  }
}
