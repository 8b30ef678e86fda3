import { choose } from './choose';
import { wrapsUp } from './deadlineOf';
import type { Draft } from './Draft';
import { describeValue, later } from './fieldRules';
import type { HandlerTable } from './Handler';
import type { ResolvedConfig } from './resolveConfig';
import { workChanged } from './workChanged';

/** Whether the draft holds the item (in wrap-up or not). */
const holdsItem = (draft: Draft, workItemId: string): boolean => draft.work.some((item) => item.workItemId === workItemId);

/** The draft's work without the item at `index`. */
const withoutItem = (draft: Draft, index: number) => draft.work.filter((_, i) => i !== index);

/** After a missed or declined offer: the profile's presence for it, set by the system, when it names one. */
const systemPick = (draft: Draft, presenceId: string | undefined, source: 'missed' | 'rejected', config: ResolvedConfig): void => {
  if (draft.signedIn && presenceId !== undefined) draft.choice = choose(config.catalog.get(presenceId), source);
};

/** The events of work: items assigned, released, out of wrap-up, and offers missed or declined. */
export const workHandlers: Pick<HandlerTable, 'workAssigned' | 'workReleased' | 'wrapUpEnded' | 'workMissed' | 'workRejected'> = {
  workAssigned(draft, event, at, profile) {
    const { workItemId, profile: named } = event;
    if (holdsItem(draft, workItemId)) {
      return { code: 'DUPLICATE_WORK_ITEM', message: `work item ${describeValue(workItemId)} is already held` };
    }
    if (named !== undefined && !profile.capacityProfiles.has(named)) {
      return { code: 'UNKNOWN_CAPACITY_PROFILE', message: `capacity profile ${describeValue(named)} is not the agent's` };
    }
    if (draft.work.length >= profile.maxHeldItems) {
      return {
        code: 'TOO_MANY_WORK_ITEMS',
        message: `work item ${describeValue(workItemId)} would be one more than ${profile.maxHeldItems} held: release some first`,
      };
    }
    const units = (event.units ?? 0) + 0; // JSON has no -0
    const item = named === undefined ? { workItemId, units, since: at } : { workItemId, units, since: at, profile: named };
    draft.work = [...draft.work, item];
    workChanged(draft, draft.work.length);
  },

  workReleased(draft, event, at, profile) {
    const { workItemId } = event;
    const index = draft.work.findIndex((item) => item.workItemId === workItemId && !wrapsUp(item));
    // Not held, or held but in wrap-up already.
    if (index < 0)
      return { code: 'UNKNOWN_WORK_ITEM', message: `work item ${describeValue(workItemId)} ${holdsItem(draft, workItemId) ? 'is in wrap-up' : 'is not held'}` };
    const wrapUpMs = event.wrapUpMs ?? profile.wrapUpMs;
    // With wrap-up time the item keeps its units until the wrap-up ends; without, they are free at once.
    draft.work = wrapUpMs > 0 ? draft.work.map((item, i) => (i === index ? { ...item, wrapUpUntil: later(at, wrapUpMs) } : item)) : withoutItem(draft, index);
    workChanged(draft, draft.work.length);
  },

  wrapUpEnded(draft, event) {
    const { workItemId } = event;
    const index = draft.work.findIndex((item) => item.workItemId === workItemId && wrapsUp(item));
    // Not held, or held but not in wrap-up.
    if (index < 0)
      return {
        code: 'UNKNOWN_WORK_ITEM',
        message: `work item ${describeValue(workItemId)} ${holdsItem(draft, workItemId) ? 'is not in wrap-up' : 'is not held'}`,
      };
    draft.work = withoutItem(draft, index);
    workChanged(draft, draft.work.length);
  },

  workMissed(draft, _event, _at, profile, config) {
    systemPick(draft, profile.onMissed, 'missed', config);
  },
  workRejected(draft, _event, _at, profile, config) {
    systemPick(draft, profile.onRejected, 'rejected', config);
  },
};
