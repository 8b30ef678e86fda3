import type { BaseStatus, WorkAssignedEvent } from '../core/index';
import type { DispatchResult, PresenceService } from './createPresenceService';

/**
 * Where `assignIfAvailable` may assign: the base statuses (and presence ids) routing offers work in, as in a
 * roster query.
 *
 * @category Routing
 * @example
 * ```ts
 * import type { AssignOptions } from 'agent-presence/service';
 * const chat: AssignOptions = { bases: ['Available', 'Busy'] };
 * ```
 */
export interface AssignOptions {
  readonly bases: readonly BaseStatus[];
  readonly presenceIds?: readonly string[] | undefined;
}

/**
 * Assigns a work item only if the agent can take it at the moment it is applied: their presence's base is one of
 * `bases` (and the presence one of `presenceIds`, when given) and `machine.canTake` says the item fits. The check
 * runs inside the service's compare-and-set loop (a dispatch `precondition`), so an agent who filled up or went
 * Away since `findAvailable` answered (in this process or another) is not over-assigned: the result then has
 * `declined: true` and nothing was stored. To assign regardless (a forced assignment), call `dispatch`.
 *
 * @param service - the presence service
 * @param agentId - the agent findAvailable offered
 * @param event - the assignment
 * @param options - the bases (and presence ids) work may be offered in
 * @returns the dispatch result; `declined: true` when the agent could not take the item
 * @category Routing
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { assignIfAvailable, createPresenceService } from 'agent-presence/service';
 * const service = createPresenceService({ machine: createPresenceMachine({ defaultProfile: { capacity: 100 } }) });
 * await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
 * const chat = { bases: ['Available', 'Busy'] } as const;
 * const a = await assignIfAvailable(service, 'agent-7', { type: 'workAssigned', workItemId: 'c1', units: 70, at: 2_000 }, chat);
 * const b = await assignIfAvailable(service, 'agent-7', { type: 'workAssigned', workItemId: 'c2', units: 70, at: 2_500 }, chat);
 * console.log(a.declined, b.declined, b.state.work.length); // undefined true 1
 * ```
 */
export function assignIfAvailable(
  service: Pick<PresenceService, 'dispatch'>,
  agentId: string,
  event: WorkAssignedEvent,
  options: AssignOptions,
): Promise<DispatchResult> {
  if (!Array.isArray(options?.bases) || options.bases.length === 0) {
    return Promise.reject(new TypeError(`assignIfAvailable: options.bases must be a non-empty array of base statuses (got ${JSON.stringify(options?.bases)})`));
  }
  const bases = new Set<string>(options.bases);
  const ids = options.presenceIds === undefined ? undefined : new Set(options.presenceIds);
  const request = event.profile === undefined ? { units: event.units ?? 0 } : { units: event.units ?? 0, profile: event.profile };
  return service.dispatch(agentId, event, {
    precondition: (state, machine) => {
      const presence = machine.presenceOf(state);
      return bases.has(presence.base) && (ids === undefined || ids.has(presence.presenceId)) && machine.canTake(state, request);
    },
  });
}
