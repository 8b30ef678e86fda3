import { choose } from './choose';
import { describeValue } from './fieldRules';
import type { HandlerTable } from './Handler';
import { acted } from './timeHandlers';

/** The events of presence picks: the agent picks a presence, now or for after work, or clears the pick. */
export const presenceHandlers: Pick<HandlerTable, 'setPresence' | 'resetPresence'> = {
  // Each refusal's message is built only when refusing: describing the id on every pick costs the hot path.
  setPresence(draft, event, at, profile, config) {
    const { presenceId } = event;
    if (!draft.signedIn) return { code: 'NOT_SIGNED_IN', message: `cannot set presence ${describeValue(presenceId)}: not signed in` };
    const presence = config.catalog.get(presenceId);
    if (presence === undefined)
      return { code: 'UNKNOWN_PRESENCE', message: `cannot set presence ${describeValue(presenceId)}: unknown; pick one of selectablePresences` };
    if (!presence.active)
      return { code: 'PRESENCE_INACTIVE', message: `cannot set presence ${describeValue(presenceId)}: inactive; pick one of selectablePresences` };
    if (!presence.selectable)
      return {
        code: 'PRESENCE_NOT_SELECTABLE',
        message: `cannot set presence ${describeValue(presenceId)}: a system presence; pick one of selectablePresences`,
      };
    if (!profile.selectable.includes(presence)) {
      return {
        code: 'PRESENCE_NOT_ALLOWED',
        message: `cannot set presence ${describeValue(presenceId)}: not in the agent's profile; pick one of selectablePresences`,
      };
    }
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
