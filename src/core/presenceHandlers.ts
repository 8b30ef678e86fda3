import { choose } from './choose';
import { describeValue } from './fieldRules';
import type { HandlerTable } from './Handler';
import type { Rejection, RejectionCode } from './Transition';
import { acted } from './timeHandlers';

/** The refusal of a pick; built only when refusing, as describing the id on every pick costs the hot path. */
const cannotSet = (code: RejectionCode, presenceId: string, why: string): Rejection => ({
  code,
  message: `cannot set presence ${describeValue(presenceId)}: ${why}`,
});

/** The events of presence picks: the agent picks a presence, now or for after work, or clears the pick. */
export const presenceHandlers: Pick<HandlerTable, 'setPresence' | 'resetPresence'> = {
  setPresence(draft, event, at, profile, config) {
    const { presenceId } = event;
    if (!draft.signedIn) return cannotSet('NOT_SIGNED_IN', presenceId, 'not signed in');
    const presence = config.catalog.get(presenceId);
    if (presence === undefined) return cannotSet('UNKNOWN_PRESENCE', presenceId, 'unknown');
    if (!presence.active) return cannotSet('PRESENCE_INACTIVE', presenceId, 'inactive');
    if (!presence.selectable) return cannotSet('PRESENCE_NOT_SELECTABLE', presenceId, 'a system presence');
    if (!profile.selectable.includes(presence)) return cannotSet('PRESENCE_NOT_ALLOWED', presenceId, "not in the agent's profile");
    acted(draft, at);
    const pick = choose(presence, 'manual');
    // A pick for after work waits while any item is held (in wrap-up too); any pick replaces a queued one.
    if (event.when === 'afterWork' && draft.work.length > 0) {
      draft.next = pick;
    } else {
      draft.choice = pick;
      draft.next = null;
    }
  },

  resetPresence(draft, _event, at) {
    if (!draft.signedIn) return { code: 'NOT_SIGNED_IN', message: 'cannot reset presence: not signed in' };
    acted(draft, at);
    draft.choice = null;
    draft.next = null;
  },
};
