import type { Draft } from './Draft';
import type { HandlerTable } from './Handler';

/** The agent acted (signed in, picked a presence, `activity`): idleness ends, and its clock starts again at `at`. */
export const acted = (draft: Draft, at: number): void => {
  draft.lastActivity = at;
  draft.idle = false;
};

/** The events about time: the agent's activity, which restarts the idle clock, and the clock's own tick. */
export const timeHandlers: Pick<HandlerTable, 'activity' | 'tick'> = {
  activity(draft, _event, at) {
    if (draft.signedIn) acted(draft, at);
  },
  // The deadlines due by the tick's time are applied before any event is handled: a tick has nothing left to do.
  tick() {},
};
