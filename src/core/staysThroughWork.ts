import { isStickyBase } from './BaseStatus';
import type { PresenceChoice } from './PresenceState';

/**
 * Whether a choice stays through work events and keeps the agent from going idle: one of a sticky base (Away,
 * BusyDND, Offline), or one the system set (`missed`, `rejected`). A manual Available or Busy gives way to the
 * next work event.
 */
export const staysThroughWork = (choice: PresenceChoice | null): boolean =>
  choice !== null && (isStickyBase(choice.base) || choice.source === 'missed' || choice.source === 'rejected');
