/**
 * Thrown by `dispatch` when every attempt to save lost to another writer: the service reloaded the agent and
 * applied the event again each time, up to its `maxAttempts`, and gave up. The event was not applied and nothing
 * of it was stored, so sending it again (with the same `eventId`) is safe.
 *
 * @category Errors
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService, PresenceConflictError, type PresenceStore } from 'agent-presence/service';
 * // A store that always reports that someone else saved first.
 * const busyStore: PresenceStore = {
 *   load: async () => undefined,
 *   save: async () => ({ ok: false, conflict: true }),
 *   list: async function* () {},
 * };
 * const service = createPresenceService({ machine: createPresenceMachine({}), store: busyStore, maxAttempts: 3 });
 * try {
 *   await service.dispatch('agent-7', { type: 'signIn', at: 1_000 });
 * } catch (error) {
 *   if (error instanceof PresenceConflictError) console.log(error.agentId, error.attempts); // agent-7 3
 * }
 * ```
 */
export class PresenceConflictError extends Error {
  /** The agent whose record kept changing. */
  readonly agentId: string;
  /** How many times the event was applied and the save refused. */
  readonly attempts: number;

  /**
   * @param agentId - the agent
   * @param attempts - the attempts made
   */
  constructor(agentId: string, attempts: number) {
    super(
      `Agent ${JSON.stringify(agentId)}: the event was not applied: ${attempts} attempts to save lost to other writers ` +
        '(the stored version changed each time between load and save)',
    );
    this.name = 'PresenceConflictError';
    this.agentId = agentId;
    this.attempts = attempts;
  }
}
