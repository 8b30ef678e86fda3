import { capacityLevel, levelOf, type WorkCount } from './capacityLevel';
import { choose } from './choose';
import { wrapsUp } from './deadlineOf';
import type { Draft } from './Draft';
import type { BaseStatus } from './BaseStatus';
import type { PresenceChoice, PresenceSource, PresenceState } from './PresenceState';
import type { ResolvedConfig, ResolvedProfile } from './resolveConfig';
import { staysThroughWork } from './staysThroughWork';

/**
 * What `settle` reads of the sessions and the work when `advance` keeps them counted through a run of deadlines:
 * whether any session is signed in, whether any item is in wrap-up, and the work held.
 */
export interface Facts {
  readonly signedIn: boolean;
  readonly wrapping: boolean;
  readonly work: WorkCount;
}

/** A presence as the state keeps it. */
interface Shown {
  readonly presenceId: string;
  readonly base: BaseStatus;
  readonly source: PresenceSource;
}

/**
 * Makes the draft the next state at time `at`: resolves which presence wins, keeps `since` when the presence is
 * the one of `before`, and drops what a signed-out agent cannot have (a choice, a queued pick, idleness).
 *
 * What it needs of the sessions and the work it reads from the draft's lists, or from `facts` while `advance` keeps
 * them counted; of the lists, only what the precedence reaches is counted (the hot path).
 */
export function settle(draft: Draft, before: PresenceState, at: number, config: ResolvedConfig, profile: ResolvedProfile, facts?: Facts): PresenceState {
  const signedIn = facts ? facts.signedIn : draft.sessions.length > 0;
  const choice = stillThere(draft.choice, config);
  const presence = winner(draft, signedIn, choice, config, profile, facts);
  draft.signedIn = signedIn;
  draft.presenceId = presence.presenceId;
  draft.base = presence.base;
  draft.source = presence.source;
  draft.since = presence.presenceId === before.presenceId ? before.since : at;
  draft.choice = signedIn ? choice : null;
  draft.next = signedIn ? stillThere(draft.next, config) : null;
  draft.idle = signedIn && draft.idle;
  draft.lastAt = at;
  return draft;
}

/**
 * The presence that wins, first match (docs/concepts.md): Offline while signed out, for whatever ended the last
 * session (it set the source); a choice that stays through work (a sticky pick or default, a system presence);
 * idleness; wrap-up; a manual Available or Busy; and last the capacity level.
 */
function winner(
  draft: Draft,
  signedIn: boolean,
  choice: PresenceChoice | null,
  config: ResolvedConfig,
  profile: ResolvedProfile,
  facts: Facts | undefined,
): Shown {
  if (!signedIn) return { presenceId: 'offline', base: 'Offline', source: draft.source };
  if (choice && staysThroughWork(choice)) return choice;
  if (draft.idle) return choose(config.catalog.get(profile.idlePresenceId), 'idle');
  const wrapUp = profile.wrapUpPresenceId;
  if (wrapUp !== undefined && (facts ? facts.wrapping : draft.work.some(wrapsUp))) return choose(config.catalog.get(wrapUp), 'wrapUp');
  if (choice) return choice;
  const level = facts ? levelOf(facts.work, profile) : capacityLevel(draft.work, profile);
  return choose(config.capacityPresences[level], 'capacity');
}

/** A choice whose presence left the config (removed or deactivated) becomes its base's standard presence. */
const stillThere = (choice: PresenceChoice | null, config: ResolvedConfig): PresenceChoice | null =>
  choice && config.catalog.get(choice.presenceId)?.active !== true ? choose(config.standardByBase.get(choice.base), 'config') : choice;
