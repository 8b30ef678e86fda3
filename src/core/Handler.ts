import type { Draft } from './Draft';
import type { PresenceEvent } from './PresenceEvent';
import type { ResolvedConfig, ResolvedProfile } from './resolveConfig';
import type { Rejection } from './Transition';

/** The event of one `type`. */
export type EventOf<T extends PresenceEvent['type']> = Extract<PresenceEvent, { type: T }>;

/**
 * What one event type does: changes the draft (the state after the deadlines due before the event), or returns why
 * the event is refused, leaving the state as it was. The message names the value and what is wrong with it (and,
 * where the root entry's budget allows, what to do instead); the machine puts the agent's id in front. Which
 * presence shows is not a handler's business: `settle` resolves it after every handler.
 *
 * @param draft - the next state, being built
 * @param event - the checked copy of the event
 * @param at - the event's applied time: its `at`, or the state's latest time when it came late
 * @param profile - the agent's profile
 * @param config - the machine's config
 */
export type Handler<T extends PresenceEvent['type']> = (
  draft: Draft,
  event: EventOf<T>,
  at: number,
  profile: ResolvedProfile,
  config: ResolvedConfig,
) => Rejection | void;

/** One handler per event type: TypeScript refuses a table that leaves a type of {@link PresenceEvent} out. */
export type HandlerTable = { readonly [T in PresenceEvent['type']]: Handler<T> };
