import type { Draft } from './Draft';
import { staysThroughWork } from './staysThroughWork';

/**
 * After the work held changed (an item assigned, released, or out of wrap-up): a manual Available or Busy gives
 * way to capacity, and a pick queued for after work applies once no item is held (`items`: how many still are).
 */
export const workChanged = (draft: Draft, items: number): void => {
  if (!staysThroughWork(draft.choice)) draft.choice = null;
  if (draft.next && items === 0) {
    draft.choice = draft.next;
    draft.next = null;
  }
};
