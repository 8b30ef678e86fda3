import type { PresenceIssue, PresenceState, ResolvedPresence } from '../core/index';

/**
 * Options of `repairAgent`.
 *
 * @category Service
 * @example
 * ```ts
 * import type { RepairOptions } from 'agent-presence/service';
 * // Only once every process runs the release that reads the record, or to give up what a newer release stored:
 * const options: RepairOptions = { replaceNewerSchema: true };
 * ```
 */
export interface RepairOptions {
  /**
   * Replace a record that a newer release wrote (its `schemaVersion` is above what this release reads). Default
   * false: `repairAgent` throws the `UnreadableRecordError` (`newerSchema: true`) and changes nothing, since the
   * record is fine for that release and replacing it loses what it holds.
   */
  readonly replaceNewerSchema?: boolean | undefined;
}

/**
 * What `repairAgent` did: whether it saved a new record over an unreadable one, the agent's state and version
 * afterwards, and what of the old record it kept and left out.
 *
 * @category Service
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createMemoryPresenceStore, createPresenceService, type AgentRepair } from 'agent-presence/service';
 * const machine = createPresenceMachine({});
 * const store = createMemoryPresenceStore();
 * const service = createPresenceService({ machine, store });
 * await service.dispatch('agent-7', { type: 'signIn', sessionId: 'desk', at: 1_000 });
 * // A broken record saved by hand (a migration gone wrong): a time that is null.
 * const { state } = await service.get('agent-7');
 * await store.save('agent-7', { state: { ...state, since: null as unknown as number }, seen: [] }, 1);
 * const repair: AgentRepair = await service.repairAgent('agent-7');
 * console.log(repair.repaired, repair.version, repair.presence.text, repair.kept.sessions); // true 3 Available 1
 * console.log(repair.problem?.split('\n')[1]); // - state.since: must be a finite number ≥ 0 and ≤ 8640000000000000 (got null)
 * ```
 */
export interface AgentRepair {
  readonly agentId: string;
  /** True when a new record was saved; false when the stored one could be read (or nothing was stored) and nothing was saved. */
  readonly repaired: boolean;
  /** The stored version afterwards (0: nothing stored). */
  readonly version: number;
  readonly state: PresenceState;
  readonly presence: ResolvedPresence;
  /** Why the stored record could not be read, when it could not. */
  readonly problem?: string;
  /** The record that was replaced, as the store returned it (JSON text on Redis): keep it for the incident report. */
  readonly replaced?: unknown;
  /** What of the old record was carried over: signed-in sessions, held work items, the manual presence, remembered event ids. */
  readonly kept: { readonly sessions: number; readonly work: number; readonly choice: boolean; readonly seen: number };
  /** Each part of the old record that was left out, and why. */
  readonly dropped: readonly PresenceIssue[];
}
