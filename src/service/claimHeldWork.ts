import type { PresenceStore } from './ports';
import type { UnreadableRecordError } from './UnreadableRecordError';

/**
 * What {@link claimHeldWork} did: how many held items it claimed for their holders, and the items it found held by
 * two agents (each pair once: the agent whose claim stands, and the other), to release from one of them.
 *
 * @category Routing
 * @example
 * ```ts
 * import type { HeldWorkClaims } from 'agent-presence/service';
 * const report = (r: HeldWorkClaims) =>
 *   r.doubles.map((d) => `${d.workItemId}: held by ${d.holder} and ${d.alsoHeldBy}, release it from one`).join('\n');
 * ```
 */
export interface HeldWorkClaims {
  /** Agents whose records were read. */
  readonly agents: number;
  /** Work items claimed (or found claimed already) for the agent whose record holds them. */
  readonly claimed: number;
  /** Items two agents' records hold: `holder`'s claim stands; `alsoHeldBy` holds it without one. */
  readonly doubles: readonly { readonly workItemId: string; readonly holder: string; readonly alsoHeldBy: string }[];
}

/**
 * Claims every work item the stored records hold for the agent holding it: run it once after upgrading every process
 * to a release with one item, one agent, so that items assigned before (saved without a claim) are claimed too and
 * cannot be given to a second agent. Safe while the service runs (each claim is the store's usual `claimWork`). An
 * item already held by two agents cannot be mended here: it is reported, to be released from one of them. Records
 * that cannot be read are passed over (told to `onUnreadable`).
 *
 * @param store - a store with `claimWork` (the memory and Redis stores)
 * @param onUnreadable - told of each record that cannot be read
 * @returns how many agents were read and items claimed, and the items held twice
 * @throws TypeError when the store has no `claimWork`
 * @category Routing
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { claimHeldWork, createMemoryPresenceStore } from 'agent-presence/service';
 * const machine = createPresenceMachine({});
 * const store = createMemoryPresenceStore();
 * // Saved before one item, one agent: c1 without a claim.
 * const state = machine.transition(machine.initialState('agent-7'), { type: 'workAssigned', workItemId: 'c1', units: 10, at: 1_000 }).state;
 * await store.save('agent-7', { state, seen: [] }, 0);
 * const result = await claimHeldWork(store);
 * console.log(result.claimed, result.doubles.length); // 1 0
 * console.log((await store.claimWork('agent-8', ['c1'])).ok); // false
 * ```
 */
export async function claimHeldWork(store: PresenceStore, onUnreadable?: (error: UnreadableRecordError) => void): Promise<HeldWorkClaims> {
  if (typeof store?.claimWork !== 'function') {
    throw new TypeError('claimHeldWork: the store has no claimWork (the memory and Redis stores have it; see PresenceStore.claimWork)');
  }
  let agents = 0;
  let claimed = 0;
  const doubles: { workItemId: string; holder: string; alsoHeldBy: string }[] = [];
  for await (const { agentId, record } of store.list(onUnreadable ?? (() => {}))) {
    agents++;
    for (const { workItemId } of record.state.work) {
      const claim = await store.claimWork(agentId, [workItemId]);
      if (claim.ok) claimed++;
      else doubles.push({ workItemId, holder: claim.holder, alsoHeldBy: agentId });
    }
  }
  return { agents, claimed, doubles };
}
