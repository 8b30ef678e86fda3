import type { PresenceChange, PresencePublisher } from './ports';

/**
 * A {@link PresencePublisher} that keeps the latest changes in memory, the service's default. For listening in
 * the same process, `service.subscribe` is the simpler way; this adapter suits tests and demos.
 *
 * @param options - `limit`: how many of the latest changes to keep (default 1,000; older ones are dropped)
 * @returns the publisher, with `changes()` (kept changes, oldest first) and `clear()`
 * @category Adapters
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createMemoryPublisher, createPresenceService } from 'agent-presence/service';
 * const publisher = createMemoryPublisher({ limit: 100 });
 * const service = createPresenceService({ machine: createPresenceMachine({}), publisher });
 * await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
 * console.log(publisher.changes().map((c) => `${c.from.presenceId} → ${c.to.presenceId}`)); // ['offline → available']
 * ```
 */
export function createMemoryPublisher(options: { readonly limit?: number | undefined } = {}): PresencePublisher & {
  /** The kept changes, oldest first. */
  changes(): readonly PresenceChange[];
  /** Forgets every kept change. */
  clear(): void;
} {
  const limit = options.limit ?? 1_000;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new TypeError(`createMemoryPublisher: limit must be a whole number ≥ 0 (got ${String(limit)})`);
  }
  let kept: PresenceChange[] = [];
  return {
    publish(change) {
      kept.push(change);
      if (kept.length > limit) kept.shift();
    },
    changes: () => [...kept],
    clear() {
      kept = [];
    },
  };
}
